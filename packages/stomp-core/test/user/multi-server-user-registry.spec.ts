import { MultiServerUserRegistry } from '../../src/user/multi-server-user-registry.js';
import { UserRegistry } from '../../src/user/user-registry.js';

describe('MultiServerUserRegistry', () => {
  function registries(): { local: UserRegistry; all: MultiServerUserRegistry } {
    const local = new UserRegistry();
    return { local, all: new MultiServerUserRegistry(local, 1_000) };
  }

  it('merges the local sessions of a user with those other instances reported', () => {
    const { local, all } = registries();
    local.addSession('s1', 'alice');
    local.addSubscription('s1', 'sub-0', '/user/queue/x');
    all.addRemote('other', { users: [{ name: 'alice', sessions: [{ id: 's9', subscriptions: [{ id: 'a', destination: '/topic/t' }] }] }, { name: 'bob', sessions: [{ id: 's8', subscriptions: [] }] }] });
    expect([...all.getUser('alice')!.sessions.keys()].sort()).toEqual(['s1', 's9']);
    expect(all.userCount).toBe(2);
    expect(all.findSubscriptions((s) => s.destination.startsWith('/user/')).map((s) => s.session.id)).toEqual(['s1']);
    expect(all.snapshot()).toEqual({ users: [{ name: 'alice', sessions: [{ id: 's1', subscriptions: [{ id: 'sub-0', destination: '/user/queue/x' }] }] }] });
  });

  it('a newer snapshot replaces the older one; an expired one is dropped; malformed ones are ignored', () => {
    const { all } = registries();
    all.addRemote('other', { users: [{ name: 'bob', sessions: [{ id: 's8', subscriptions: [] }] }] });
    all.addRemote('other', { users: [{ name: 'carol', sessions: [{ id: 's7', subscriptions: [] }] }] });
    expect(all.getUsers().map((u) => u.name)).toEqual(['carol']);
    all.addRemote('old', { users: [{ name: 'dave', sessions: [{ id: 's6', subscriptions: [] }] }] }, Date.now() - 5_000);
    expect(all.getUser('dave')).toBeUndefined();
    for (const junk of [null, 42, 'x', { users: 'no' }, { users: [{ name: 3 }, null] }]) all.addRemote('junk', junk);
    expect(all.getUsers().map((u) => u.name)).toEqual(['carol']);
  });
});

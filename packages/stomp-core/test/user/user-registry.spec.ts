import { UserRegistry } from '../../src/user/user-registry.js';

describe('UserRegistry', () => {
  it('groups sessions by principal name; a user goes with its last session', () => {
    const registry = new UserRegistry();
    registry.addSession('s1', 'alice');
    registry.addSession('s2', 'alice');
    registry.addSession('s3', 'bob');
    expect(registry.userCount).toBe(2);
    expect([...registry.getUser('alice')!.sessions.keys()]).toEqual(['s1', 's2']);
    expect(registry.getUser('alice')!.sessions.get('s2')!.user.name).toBe('alice');
    expect(registry.getUsers().map((u) => u.name).sort()).toEqual(['alice', 'bob']);

    registry.removeSession('s1');
    expect([...registry.getUser('alice')!.sessions.keys()]).toEqual(['s2']);
    registry.removeSession('s2');
    expect(registry.getUser('alice')).toBeUndefined();
    expect(registry.userCount).toBe(1);
    registry.removeSession('s2'); // twice: harmless
    registry.removeSession('unknown');
    expect(registry.userCount).toBe(1);
  });

  it('keeps subscriptions per session and finds them by predicate', () => {
    const registry = new UserRegistry();
    registry.addSession('s1', 'alice');
    registry.addSession('s2', 'bob');
    registry.addSubscription('s1', 'a', '/user/queue/x');
    registry.addSubscription('s1', 'b', '/topic/news');
    registry.addSubscription('s2', 'c', '/user/queue/x');
    registry.addSubscription('anonymous', 'd', '/user/queue/x'); // no user session: ignored

    const onX = registry.findSubscriptions((s) => s.destination === '/user/queue/x');
    expect(onX.map((s) => [s.session.user.name, s.session.id, s.id])).toEqual([
      ['alice', 's1', 'a'],
      ['bob', 's2', 'c'],
    ]);
    registry.removeSubscription('s1', 'a');
    expect(registry.findSubscriptions((s) => s.destination === '/user/queue/x').map((s) => s.id)).toEqual(['c']);
    expect([...registry.getUser('alice')!.sessions.get('s1')!.subscriptions.keys()]).toEqual(['b']);

    registry.removeSession('s2');
    expect(registry.findSubscriptions(() => true).map((s) => s.id)).toEqual(['b']);
  });

  it('a session id registered twice stays with its first user', () => {
    const registry = new UserRegistry();
    registry.addSession('s1', 'alice');
    registry.addSession('s1', 'mallory');
    expect(registry.getUser('mallory')).toBeUndefined();
    expect(registry.getSession('s1')!.user.name).toBe('alice');
  });
});

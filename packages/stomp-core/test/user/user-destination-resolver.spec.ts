import { SimpleBroker } from '../../src/broker/simple-broker.js';
import { messageTail } from '../../src/codec/stomp-encoder.js';
import { StompErrorCode } from '../../src/errors/error-codes.js';
import { SessionState } from '../../src/session/session-state.js';
import type { StompSession } from '../../src/session/stomp-session.js';
import { UserDestinationResolver, resolvedUserDestination } from '../../src/user/user-destination-resolver.js';
import { UserRegistry } from '../../src/user/user-registry.js';
import { FakeClient, code } from '../broker/fake-client.js';

interface FakeSession {
  id: string;
  state: SessionState;
  resolvedDestinations: Set<string>;
}

function setup(prefix = '/user') {
  const broker = new SimpleBroker();
  const registry = new UserRegistry();
  const sessions = new Map<string, StompSession>();
  const resolver = new UserDestinationResolver(prefix, registry, sessions, broker);
  /** A live session (optionally of a user) with a broker client subscribed to its resolved `/queue/x` and `/topic/t`. */
  const open = (id: string, user?: string) => {
    const session: FakeSession = { id, state: SessionState.Connected, resolvedDestinations: new Set() };
    sessions.set(id, session as unknown as StompSession);
    if (user !== undefined) registry.addSession(id, user);
    const client = new FakeClient(id);
    broker.addClient(client);
    broker.subscribe(client, 'q', resolver.resolveSubscription('/user/queue/x', session as unknown as StompSession), 'auto', {});
    broker.subscribe(client, 't', resolver.resolveSubscription('/user/topic/t', session as unknown as StompSession), 'auto', {});
    return { session, client };
  };
  return { broker, registry, sessions, resolver, open };
}

const body = (text: string) => Buffer.from(text);

describe('UserDestinationResolver: parsing', () => {
  it('knows its prefix, with or without a trailing slash, and nothing else', () => {
    for (const prefix of ['/user', '/user/']) {
      const { resolver } = setup(prefix);
      expect(resolver.prefix).toBe('/user');
      expect(resolver.isUserDestination('/user/queue/x')).toBe(true);
      expect(resolver.isUserDestination('/users/queue/x')).toBe(false);
      expect(resolver.isUserDestination('/user')).toBe(false);
      expect(resolver.isUserDestination('/queue/user/x')).toBe(false);
    }
    expect(() => setup('')).toThrow(RangeError);
    expect(() => setup('/')).toThrow(RangeError);
  });

  it('SUBSCRIBE side: /user/queue/x → /queue/x-user<sessionId>, remembered on the session', () => {
    const { resolver } = setup();
    const session = { id: 'S1', state: SessionState.Connected, resolvedDestinations: new Set<string>() };
    expect(resolver.resolveSubscription('/user/queue/x', session as unknown as StompSession)).toBe('/queue/x-userS1');
    expect([...session.resolvedDestinations]).toEqual(['/queue/x-userS1']);
    expect(resolvedUserDestination('/topic/a.b', 'id')).toBe('/topic/a.b-userid');
  });

  it('SEND side: user, destination and what the user subscribed to; %2F decodes to /', () => {
    const { resolver } = setup();
    expect(resolver.parse('/user/alice/queue/x')).toEqual({
      user: 'alice',
      destination: '/queue/x',
      subscribeDestination: '/user/queue/x',
    });
    expect(resolver.parse('/user/dept%2Falice/topic/a.b').user).toBe('dept/alice');
  });

  it('rejects destinations that name no user, no destination, a pattern, or no broker destination', () => {
    const { resolver } = setup();
    const session = { id: 'S1', state: SessionState.Connected, resolvedDestinations: new Set<string>() } as unknown as StompSession;
    expect(() => resolver.parse('/user/alice')).toThrow(code(StompErrorCode.INVALID_HEADER));
    expect(() => resolver.parse('/user//queue/x')).toThrow(code(StompErrorCode.INVALID_HEADER));
    expect(() => resolver.parse('/user/alice/')).toThrow(code(StompErrorCode.INVALID_HEADER));
    expect(() => resolver.parse('/user/alice/app/x')).toThrow(code(StompErrorCode.NO_HANDLER));
    expect(() => resolver.resolveSubscription('/user/topic/*', session)).toThrow(code(StompErrorCode.INVALID_HEADER));
    expect(() => resolver.resolveSubscription('/user/app/x', session)).toThrow(code(StompErrorCode.NO_HANDLER));
    expect(() => resolver.resolveSubscription('/user/', session)).toThrow(code(StompErrorCode.INVALID_HEADER));
  });
});

describe('UserDestinationResolver: delivery', () => {
  it('a send to /user/alice/... reaches every session of alice and nobody else, shown as /user/...', () => {
    const { resolver, open } = setup();
    const a1 = open('A1', 'alice');
    const a2 = open('A2', 'alice');
    const b = open('B1', 'bob');
    resolver.publish('/user/alice/queue/x', { 'content-type': 'text/plain' }, body('hi'));
    expect(a1.client.bodies('q')).toEqual(['hi']);
    expect(a2.client.bodies('q')).toEqual(['hi']);
    expect(b.client.deliveries).toHaveLength(0);
    const delivered = a1.client.last().message;
    expect(delivered.destination).toBe('/queue/x-userA1');
    expect(delivered.deliveredAs).toBe('/user/queue/x');
    expect(messageTail(delivered, '1.2').toString()).toMatch(/^destination:\/user\/queue\/x\ncontent-type:text\/plain\n/);
  });

  it('sendToUser with a session id reaches that session only, and only when it is the user’s', () => {
    const { resolver, open } = setup();
    const a1 = open('A1', 'alice');
    const a2 = open('A2', 'alice');
    const b = open('B1', 'bob');
    resolver.sendToUser('alice', '/queue/x', {}, body('one'), 'A2');
    resolver.sendToUser('alice', 'queue/x', {}, body('two'), 'B1'); // bob's session is not alice's
    expect(a1.client.deliveries).toHaveLength(0);
    expect(a2.client.bodies('q')).toEqual(['one']);
    expect(b.client.deliveries).toHaveLength(0);
  });

  it('a session without principal is addressed by its id; unknown users get nothing', () => {
    const { resolver, open, broker } = setup();
    const anon = open('ANON');
    open('A1', 'alice');
    resolver.sendToUser('ANON', '/topic/t', {}, body('to-anon'));
    resolver.sendToUser('nobody', '/queue/x', {}, body('lost'));
    expect(anon.client.bodies('t')).toEqual(['to-anon']);
    expect(broker.queueCount).toBe(2); // A1's and ANON's /queue/x only: no queue for 'nobody'
  });

  it('closing sessions are skipped: no queue is created for them', () => {
    const { resolver, open, broker } = setup();
    const a1 = open('A1', 'alice');
    broker.removeClient(a1.client);
    a1.session.state = SessionState.Closing;
    resolver.sendToUser('alice', '/queue/late', {}, body('late'));
    expect(broker.queueDepth('/queue/late-userA1')).toBe(0);
    expect(a1.session.resolvedDestinations.has('/queue/late-userA1')).toBe(false);
  });

  it('a pattern subscription never sees user messages, while it sees ordinary ones', () => {
    const { resolver, open, broker } = setup();
    open('A1', 'alice');
    const spy = new FakeClient('spy');
    broker.addClient(spy);
    broker.subscribe(spy, 'all', '/topic/**', 'auto', {});
    resolver.sendToUser('alice', '/topic/t', {}, body('private'));
    broker.publish({ destination: '/topic/t', headers: {}, body: body('public') });
    expect(spy.bodies()).toEqual(['public']);
  });

  it('a full queue of one session does not stop delivery to the others; the error comes after', () => {
    const broker = new SimpleBroker({ maxQueuedMessages: 1 });
    const registry = new UserRegistry();
    const sessions = new Map<string, StompSession>();
    const resolver = new UserDestinationResolver('/user', registry, sessions, broker);
    for (const id of ['A1', 'A2']) {
      sessions.set(id, { id, state: SessionState.Connected, resolvedDestinations: new Set() } as unknown as StompSession);
      registry.addSession(id, 'alice');
    }
    broker.publish({ destination: '/queue/x-userA1', headers: {}, body: body('fill') }); // nobody consumes: A1 is full
    expect(() => resolver.sendToUser('alice', '/queue/x', {}, body('m'))).toThrow(code(StompErrorCode.QUEUE_FULL));
    expect(broker.queueDepth('/queue/x-userA2')).toBe(1);
  });
});

describe('UserDestinationResolver: isolation', () => {
  it('refuses another live session’s resolved name, allows one’s own and ordinary names', () => {
    const { resolver, open } = setup();
    const alice = open('A1', 'alice');
    const bob = open('B1', 'bob');
    const asBob = bob.session as unknown as StompSession;
    expect(() => resolver.checkAccess('/queue/x-userA1', asBob)).toThrow(code(StompErrorCode.ACCESS_DENIED));
    expect(() => resolver.checkAccess('/topic/a.b-userA1', asBob)).toThrow(code(StompErrorCode.ACCESS_DENIED));
    expect(() => resolver.checkAccess('/queue/x-userA1', alice.session as unknown as StompSession)).not.toThrow();
    for (const legal of ['/queue/x-userB1', '/topic/new-users', '/topic/x-user', '/queue/x-userGONE', '/queue/plain']) {
      expect(() => resolver.checkAccess(legal, asBob)).not.toThrow();
    }
  });
});

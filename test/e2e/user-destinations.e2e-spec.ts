// User destinations over real sockets: /user/queue/x private to a session, sendToUser, SEND to
// /user/{name}/..., isolation between sessions, and cleanup of a closed session's user queues.
import type { SimpleBroker, StompServerInit, StompSession } from '@nest-stomp/core';
import { useCleanup } from '../support/cleanup.js';
import { connectClient, type TestClient } from '../support/stomp-client.js';
import { startServer, type TestServer } from '../support/test-server.js';

useCleanup();

/** The principal is the CONNECT `login` header (no login: an anonymous session). */
const byLogin: StompServerInit = {
  authenticate: ({ headers }) => (headers.login ? { name: headers.login } : undefined),
};

let ts: TestServer;
let broker: SimpleBroker;
beforeEach(async () => {
  ts = await startServer(byLogin);
  broker = ts.server.broker as SimpleBroker;
});

function sessionOf(client: TestClient): StompSession {
  const session = ts.server.sessions.get(client.connectedFrame.headers.session!);
  if (!session) throw new Error('no live session for this client');
  return session;
}

async function login(name: string, transport: 'ws' | 'tcp'): Promise<TestClient> {
  return connectClient(ts, transport, { connectHeaders: { login: name } });
}

describe('user destinations', () => {
  it('sendToUser reaches both sessions of alice (WS and TCP), not bob; MESSAGE shows /user/queue/x', async () => {
    const alice1 = await login('alice', 'ws');
    const alice2 = await login('alice', 'tcp');
    const bob = await login('bob', 'ws');
    expect(alice1.connectedFrame.headers['user-name']).toBe('alice');
    const inboxes = await Promise.all([alice1, alice2, bob].map((c) => c.subscribe('/user/queue/x')));

    ts.server.sendToUser('alice', '/queue/x', 'for alice', { 'content-type': 'text/plain', 'x-kind': 'note' });

    for (const inbox of inboxes.slice(0, 2)) {
      const message = await inbox.next();
      expect(message.body).toBe('for alice');
      expect(message.headers.destination).toBe('/user/queue/x');
      expect(message.headers['x-kind']).toBe('note');
    }
    await Promise.all([alice1, alice2, bob].map((c) => c.sync()));
    expect(inboxes.map((i) => i.bodies)).toEqual([['for alice'], ['for alice'], []]);
  });

  it('sendToUser with a session id reaches that session only', async () => {
    const alice1 = await login('alice', 'ws');
    const alice2 = await login('alice', 'tcp');
    const [inbox1, inbox2] = await Promise.all([alice1.subscribe('/user/queue/x'), alice2.subscribe('/user/queue/x')]);
    ts.server.sendToUser('alice', '/queue/x', 'just 2', {}, sessionOf(alice2).id);
    expect((await inbox2.next()).body).toBe('just 2');
    await alice1.sync();
    expect(inbox1.bodies).toEqual([]);
  });

  it('a client SEND to /user/alice/queue/x reaches alice’s sessions only', async () => {
    const alice1 = await login('alice', 'tcp');
    const alice2 = await login('alice', 'ws');
    const bob = await login('bob', 'ws');
    const carol = await login('carol', 'tcp');
    const inboxes = await Promise.all([alice1, alice2, bob, carol].map((c) => c.subscribe('/user/queue/x')));
    await carol.publish('/user/alice/queue/x', 'from carol', { 'content-type': 'text/plain' });
    expect((await inboxes[0]!.next()).headers.destination).toBe('/user/queue/x');
    expect((await inboxes[1]!.next()).body).toBe('from carol');
    await Promise.all([bob.sync(), carol.sync()]);
    expect(inboxes[2]!.bodies).toEqual([]);
    expect(inboxes[3]!.bodies).toEqual([]);
  });

  it('server.publish to /user/{name}/... resolves like a client SEND; topics work as user destinations too', async () => {
    const alice = await login('alice', 'ws');
    const bob = await login('bob', 'tcp');
    const [aliceTopic, bobTopic] = await Promise.all([alice.subscribe('/user/topic/news'), bob.subscribe('/user/topic/news')]);
    ts.server.publish('/user/bob/topic/news', 'for bob');
    const got = await bobTopic.next();
    expect([got.body, got.headers.destination]).toEqual(['for bob', '/user/topic/news']);
    await alice.sync();
    expect(aliceTopic.bodies).toEqual([]);
  });

  it('a session without principal gets user messages by its session id', async () => {
    const anonymous = await connectClient(ts, 'tcp');
    expect(anonymous.connectedFrame.headers['user-name']).toBeUndefined();
    const other = await connectClient(ts, 'ws');
    const [inbox, otherInbox] = await Promise.all([anonymous.subscribe('/user/queue/x'), other.subscribe('/user/queue/x')]);
    const id = sessionOf(anonymous).id;
    ts.server.sendToUser(id, '/queue/x', 'by id');
    await other.publish(`/user/${id}/queue/x`, 'sent by id');
    expect((await inbox.take(2)).map((m) => [m.body, m.headers.destination])).toEqual([
      ['by id', '/user/queue/x'],
      ['sent by id', '/user/queue/x'],
    ]);
    await other.sync();
    expect(otherInbox.bodies).toEqual([]);
    expect(ts.server.userRegistry.userCount).toBe(0);
  });

  it('a user message sent before the session subscribes waits in its queue', async () => {
    const alice = await login('alice', 'tcp');
    ts.server.sendToUser('alice', '/queue/early', 'early bird');
    const inbox = await alice.subscribe('/user/queue/early');
    expect((await inbox.next()).body).toBe('early bird');
  });

  it('a wildcard subscriber never reads other sessions’ user topics', async () => {
    const alice = await login('alice', 'ws');
    const spy = await login('mallory', 'tcp');
    const [inbox, spied] = await Promise.all([alice.subscribe('/user/topic/secret'), spy.subscribe('/topic/**')]);
    ts.server.sendToUser('alice', '/topic/secret', 'private');
    ts.server.publish('/topic/public', 'public');
    expect((await inbox.next()).body).toBe('private');
    expect((await spied.next()).body).toBe('public');
    await spy.sync();
    expect(spied.bodies.filter((b) => b !== '')).toEqual(['public']); // '' = sync messages of /topic/sync
  });
});

describe('isolation between sessions', () => {
  it('bob subscribing to alice’s resolved destination gets ERROR (access denied) and is closed', async () => {
    const alice = await login('alice', 'ws');
    const inbox = await alice.subscribe('/user/queue/x');
    const bob = await login('bob', 'tcp');
    const resolved = `/queue/x-user${sessionOf(alice).id}`;
    bob.subscribeNow(resolved);
    const error = await bob.nextError();
    expect(error.headers.message).toMatch(/access denied/i);
    await bob.waitClosed();
    expect(await ts.sessionClosed(bob.connectedFrame.headers.session!)).toEqual(expect.objectContaining({ code: 'STOMP_ACCESS_DENIED' }));
    ts.server.sendToUser('alice', '/queue/x', 'still private');
    expect((await inbox.next()).body).toBe('still private');
  });

  it('bob sending to alice’s resolved destination gets ERROR and nothing reaches alice', async () => {
    const alice = await login('alice', 'tcp');
    const inbox = await alice.subscribe('/user/queue/x');
    const bob = await login('bob', 'ws');
    bob.publishNow(`/queue/x-user${sessionOf(alice).id}`, 'injected');
    expect((await bob.nextError()).headers.message).toMatch(/access denied/i);
    await bob.waitClosed();
    await alice.sync();
    expect(inbox.bodies).toEqual([]);
  });

  it('a transactional SEND to another session’s resolved name fails at SEND, not at COMMIT', async () => {
    const alice = await login('alice', 'tcp');
    const bob = await login('bob', 'tcp');
    const tx = bob.client.begin();
    bob.client.publish({ destination: `/queue/x-user${sessionOf(alice).id}`, body: 'x', headers: { transaction: tx.id } });
    expect((await bob.nextError()).headers.message).toMatch(/access denied/i);
    await bob.waitClosed();
  });

  it('alice may use her own resolved name; names like /topic/new-users stay legal', async () => {
    const alice = await login('alice', 'ws');
    const inbox = await alice.subscribe(`/queue/x-user${sessionOf(alice).id}`);
    ts.server.sendToUser('alice', '/queue/x', 'own');
    expect((await inbox.next()).body).toBe('own');
    const news = await alice.subscribe('/topic/new-users');
    await alice.publish('/topic/new-users', 'hello');
    expect((await news.next()).body).toBe('hello');
  });

  it('after alice disconnects her user queues are gone and bob never sees her messages', async () => {
    const alice = await login('alice', 'tcp');
    const aliceId = sessionOf(alice).id;
    await alice.subscribe('/user/queue/x', { ack: 'client' }); // delivered, never acked
    ts.server.sendToUser('alice', '/queue/x', 'unacked');
    ts.server.sendToUser('alice', '/queue/y', 'never read'); // no subscription: waits in its queue
    await alice.sync();
    expect(broker.unackedCount(`/queue/x-user${aliceId}`)).toBe(1);
    expect(broker.queueDepth(`/queue/y-user${aliceId}`)).toBe(1);
    expect(broker.queueCount).toBe(2);

    await alice.disconnect();
    await ts.sessionClosed(aliceId);
    expect(broker.queueCount).toBe(0);
    expect(broker.queueDepth(`/queue/x-user${aliceId}`)).toBe(0);
    expect(broker.queueDepth(`/queue/y-user${aliceId}`)).toBe(0);
    expect(ts.server.userRegistry.getUser('alice')).toBeUndefined();

    // Her old names are ordinary, empty queues now; and she is not reachable any more.
    const bob = await login('bob', 'ws');
    const [x, y] = await Promise.all([bob.subscribe(`/queue/x-user${aliceId}`), bob.subscribe(`/queue/y-user${aliceId}`)]);
    ts.server.sendToUser('alice', '/queue/x', 'after she left');
    await bob.sync();
    expect([x.bodies, y.bodies]).toEqual([[], []]);
  });

  it('an abruptly closed session’s queues are dropped too', async () => {
    const alice = await login('alice', 'ws');
    const aliceId = sessionOf(alice).id;
    ts.server.sendToUser('alice', '/queue/z', 'held');
    expect(broker.queueDepth(`/queue/z-user${aliceId}`)).toBe(1);
    await alice.kill();
    await ts.sessionClosed(aliceId);
    expect(broker.queueCount).toBe(0);
  });
});

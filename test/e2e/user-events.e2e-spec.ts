// Session events (session-connect, -connected, -subscribe, -unsubscribe, -closed) and the user
// registry they feed, over real sockets.
import type { SessionSubscription, StompSession } from '@nest-stomp/core';
import { useCleanup } from '../support/cleanup.js';
import { RawClient } from '../support/raw-client.js';
import { connectClient } from '../support/stomp-client.js';
import { startServer, type TestServer } from '../support/test-server.js';

useCleanup();

type Event =
  | { type: 'connect'; session: string; login: string | undefined; principal: string | undefined }
  | { type: 'connected'; session: string; principal: string | undefined }
  | { type: 'subscribe'; session: string; id: string; destination: string; ack: string | undefined }
  | { type: 'unsubscribe'; session: string; id: string; destination: string }
  | { type: 'closed'; session: string; code: string | undefined };

function record(ts: TestServer): Event[] {
  const events: Event[] = [];
  const server = ts.server;
  server.on('session-connect', (session, headers) =>
    events.push({ type: 'connect', session: session.id, login: headers.login, principal: session.principal?.name }),
  );
  server.on('session-connected', (session) => events.push({ type: 'connected', session: session.id, principal: session.principal?.name }));
  server.on('session-subscribe', (session: StompSession, s: SessionSubscription) =>
    events.push({ type: 'subscribe', session: session.id, id: s.id, destination: s.destination, ack: s.headers.ack }),
  );
  server.on('session-unsubscribe', (session, s) => events.push({ type: 'unsubscribe', session: session.id, id: s.id, destination: s.destination }));
  server.on('session-closed', (session, error) => events.push({ type: 'closed', session: session.id, code: error?.code }));
  return events;
}

let ts: TestServer;
let events: Event[];
beforeEach(async () => {
  ts = await startServer({
    authenticate: async ({ headers }) => (headers.login ? { name: headers.login } : undefined),
  });
  events = record(ts);
});

describe('session events', () => {
  it('connect (before authentication), connected, subscribe, unsubscribe, closed once — in this order', async () => {
    const raw = await RawClient.open(ts, 'tcp');
    const id = (await raw.connect({ 'accept-version': '1.2', login: 'alice' })).headers.session!;
    raw.send('SUBSCRIBE', { id: 'u', destination: '/user/queue/x', ack: 'client' });
    raw.send('SUBSCRIBE', { id: 't', destination: '/topic/a' });
    raw.send('UNSUBSCRIBE', { id: 'u' });
    raw.send('DISCONNECT', { receipt: 'bye' });
    await raw.receipt('bye');
    await ts.sessionClosed(id);
    expect(events).toEqual([
      { type: 'connect', session: id, login: 'alice', principal: undefined },
      { type: 'connected', session: id, principal: 'alice' },
      { type: 'subscribe', session: id, id: 'u', destination: '/user/queue/x', ack: 'client' },
      { type: 'subscribe', session: id, id: 't', destination: '/topic/a', ack: undefined },
      { type: 'unsubscribe', session: id, id: 'u', destination: '/user/queue/x' },
      { type: 'closed', session: id, code: undefined },
    ]);
  });

  it('a refused SUBSCRIBE and UNSUBSCRIBE raise no event; session-closed comes once with the error', async () => {
    const raw = await RawClient.open(ts, 'ws');
    const id = (await raw.connect()).headers.session!;
    raw.send('SUBSCRIBE', { id: 'bad', destination: '/nowhere/x' });
    await raw.expectErrorThenClose();
    await ts.sessionClosed(id);
    const raw2 = await RawClient.open(ts, 'tcp');
    const id2 = (await raw2.connect()).headers.session!;
    raw2.send('UNSUBSCRIBE', { id: 'never' });
    await raw2.expectErrorThenClose();
    await ts.sessionClosed(id2);
    expect(events.filter((e) => e.type === 'subscribe' || e.type === 'unsubscribe')).toEqual([]);
    expect(events.filter((e) => e.type === 'closed')).toEqual([
      { type: 'closed', session: id, code: 'STOMP_NO_HANDLER' },
      { type: 'closed', session: id2, code: 'STOMP_UNKNOWN_SUBSCRIPTION' },
    ]);
  });

  it('session-closed fires exactly once whatever ends the session (DISCONNECT, ERROR, abrupt close, shutdown)', async () => {
    const polite = await connectClient(ts, 'ws', { connectHeaders: { login: 'a' } });
    const failing = await connectClient(ts, 'tcp', { connectHeaders: { login: 'b' } });
    const abrupt = await connectClient(ts, 'ws', { connectHeaders: { login: 'c' } });
    const remaining = await connectClient(ts, 'tcp');
    const ids = [polite, failing, abrupt, remaining].map((c) => c.connectedFrame.headers.session!);
    await polite.disconnect();
    failing.subscribeNow('/nowhere');
    await failing.waitClosed();
    await abrupt.kill();
    await Promise.all(ids.slice(0, 3).map((id) => ts.sessionClosed(id)));
    await ts.server.close();
    await ts.sessionClosed(ids[3]!);
    const closed = events.filter((e) => e.type === 'closed').map((e) => e.session);
    expect(closed.sort()).toEqual([...ids].sort());
    expect(ts.closedEvents).toHaveLength(4);
  });
});

describe('user registry', () => {
  it('tracks users, their sessions and subscriptions as they come and go', async () => {
    const alice1 = await connectClient(ts, 'ws', { connectHeaders: { login: 'alice' } });
    const alice2 = await connectClient(ts, 'tcp', { connectHeaders: { login: 'alice' } });
    const anonymous = await connectClient(ts, 'tcp');
    const registry = ts.server.userRegistry;
    const [a1, a2] = [alice1, alice2].map((c) => c.connectedFrame.headers.session!);
    expect(registry.userCount).toBe(1); // the anonymous session is no user
    expect([...registry.getUser('alice')!.sessions.keys()].sort()).toEqual([a1, a2].sort());

    const errors = await alice1.subscribe('/user/queue/errors');
    await alice2.subscribe('/topic/chat');
    await anonymous.subscribe('/user/queue/errors');
    const onErrors = registry.findSubscriptions((s) => s.destination === '/user/queue/errors');
    expect(onErrors.map((s) => [s.session.user.name, s.session.id])).toEqual([['alice', a1]]);

    await alice1.unsubscribe(errors);
    expect(registry.findSubscriptions((s) => s.destination === '/user/queue/errors')).toEqual([]);

    await alice2.kill();
    await ts.sessionClosed(a2);
    expect([...registry.getUser('alice')!.sessions.keys()]).toEqual([a1]);
    await alice1.disconnect();
    await ts.sessionClosed(a1);
    expect(registry.getUser('alice')).toBeUndefined();
    expect(registry.getUsers()).toEqual([]);
  });
});

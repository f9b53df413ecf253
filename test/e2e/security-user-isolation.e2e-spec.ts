// A user trying to read another user's /user/ messages by every route we could think of, through
// real sockets, with and without destination rules. Whatever bob does, alice's private message
// reaches alice and never bob.
import type { SimpleBroker, StompServerInit, StompSession } from '@nest-stomp/core';
import { useCleanup } from '../support/cleanup.js';
import { RawClient } from '../support/raw-client.js';
import { connectClient, type Inbox, type TestClient } from '../support/stomp-client.js';
import { startServer, type TestServer } from '../support/test-server.js';

useCleanup();

const byLogin: StompServerInit = { authenticate: ({ headers }) => (headers.login ? { name: headers.login } : undefined) };

interface Scene {
  ts: TestServer;
  alice: TestClient;
  aliceInbox: Inbox;
  aliceId: string;
}

async function scene(init: StompServerInit = {}): Promise<Scene> {
  const ts = await startServer({ ...byLogin, ...init });
  const alice = await connectClient(ts, 'ws', { connectHeaders: { login: 'alice' } });
  const aliceInbox = await alice.subscribe('/user/queue/private', { ack: 'client-individual' });
  return { ts, alice, aliceInbox, aliceId: alice.connectedFrame.headers.session! };
}

/** Bob (raw TCP) sends `frames` after CONNECT; then alice gets a private message. Bob must see none of it. */
async function attempt(s: Scene, frames: Array<[string, Record<string, string>]>, version = '1.2'): Promise<RawClient> {
  const bob = await RawClient.open(s.ts, 'tcp');
  await bob.connect({ 'accept-version': version, login: 'bob' });
  for (const [command, headers] of frames) bob.send(command, headers);
  if (!bob.isClosed) bob.send('SEND', { destination: '/topic/sync', receipt: 'bob-sync' });
  const outcome = await bob.waitFor((f) => f.command === 'ERROR' || (f.command === 'RECEIPT' && f.headers['receipt-id'] === 'bob-sync'), 3_000, 'ERROR or sync');
  if (outcome.command === 'ERROR') await bob.waitClosed();
  s.ts.server.sendToUser('alice', '/queue/private', 'secret for alice');
  expect((await s.aliceInbox.next()).body).toBe('secret for alice');
  if (!bob.isClosed) await bob.sync();
  expect(bob.frames.all.filter((f) => f.command === 'MESSAGE' && f.body.toString().includes('secret'))).toEqual([]);
  return bob;
}

describe('bob reading alice’s user destination', () => {
  it('SUBSCRIBE to her resolved queue name: ACCESS_DENIED', async () => {
    const s = await scene();
    const bob = await attempt(s, [['SUBSCRIBE', { id: '1', destination: `/queue/private-user${s.aliceId}` }]]);
    expect(bob.frames.all.find((f) => f.command === 'ERROR')?.headers.message).toMatch(/access denied/i);
  });

  it('SUBSCRIBE to her resolved name in STOMP 1.0, without an id: ACCESS_DENIED', async () => {
    const s = await scene();
    const bob = await attempt(s, [['SUBSCRIBE', { destination: `/queue/private-user${s.aliceId}` }]], '1.0');
    expect(bob.frames.all.some((f) => f.command === 'ERROR')).toBe(true);
  });

  it('SUBSCRIBE /user/alice/queue/private (naming the user): refused, no subscription', async () => {
    const s = await scene();
    const bob = await attempt(s, [['SUBSCRIBE', { id: '1', destination: '/user/alice/queue/private' }]]);
    expect(bob.frames.all.some((f) => f.command === 'ERROR')).toBe(true);
  });

  it('SUBSCRIBE with wildcards over queues and topics: nothing of alice’s', async () => {
    const s = await scene();
    await attempt(s, [
      ['SUBSCRIBE', { id: '1', destination: '/queue/**' }],
      ['SUBSCRIBE', { id: '2', destination: '/queue/*' }],
      ['SUBSCRIBE', { id: '3', destination: '/topic/**' }],
      ['SUBSCRIBE', { id: '4', destination: '/**' }],
    ]);
  });

  it('SUBSCRIBE /user/queue/private himself: his own queue, not hers', async () => {
    const s = await scene();
    const bob = await attempt(s, [['SUBSCRIBE', { id: '1', destination: '/user/queue/private' }]]);
    expect(bob.isClosed).toBe(false);
  });

  it('ACK or NACK of her message ids, UNSUBSCRIBE of her subscription id: refused, her delivery intact', async () => {
    const s = await scene();
    s.ts.server.sendToUser('alice', '/queue/private', 'first');
    const first = await s.aliceInbox.next();
    const id = first.headers.ack ?? first.headers['message-id'];
    for (const command of ['ACK', 'NACK', 'UNSUBSCRIBE']) {
      const bob = await attempt(s, [[command, { id: command === 'UNSUBSCRIBE' ? first.headers.subscription : id }]]);
      expect(bob.frames.all.some((f) => f.command === 'ERROR')).toBe(true);
    }
    const broker = s.ts.server.broker as SimpleBroker;
    expect(broker.pendingCount(s.ts.server.sessions.get(s.aliceId) as StompSession)).toBeGreaterThanOrEqual(1);
  });

  it('case and separator variants of her resolved name are other destinations, never hers', async () => {
    const s = await scene();
    await attempt(s, [
      ['SUBSCRIBE', { id: '1', destination: `/QUEUE/private-user${s.aliceId}` }],
    ]);
    await attempt(s, [
      ['SUBSCRIBE', { id: '2', destination: `/queue/private-user${s.aliceId}/` }],
      ['SUBSCRIBE', { id: '3', destination: `/queue/private-user${s.aliceId}.x` }],
      ['SUBSCRIBE', { id: '4', destination: `/queue/private-user${s.aliceId.toLowerCase()}x` }],
    ]);
  });

  it('with Spring’s recommended rules (no raw queues, /user/ for principals): denied at the rule', async () => {
    const s = await scene({
      rules: [
        { frames: ['CONNECT', 'NO_DESTINATION'], access: 'permit' },
        { frames: ['SUBSCRIBE'], destinations: ['/user/queue/**'], access: 'authenticated' },
        { destinations: ['/topic/sync'], access: 'permit' },
        { destinations: ['/queue/**'], access: 'deny' },
      ],
    });
    for (const destination of [`/queue/private-user${s.aliceId}`, '/queue/**', '/user/alice/queue/private']) {
      const bob = await attempt(s, [['SUBSCRIBE', { id: '1', destination }]]);
      expect(bob.frames.all.find((f) => f.command === 'ERROR')?.headers.message).toBe('Access denied');
    }
  });
});

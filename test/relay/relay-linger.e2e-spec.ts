// Relay option `linger`: a client written to moments ago gets its next MESSAGEs `linger` ms later, in
// one write; a client idle for longer gets them at once; a RECEIPT (or any frame of our own) never
// waits and takes the waiting MESSAGEs with it; `linger: 0` turns it off.
import { jest } from '@jest/globals';
import { DeliveryLinger, type StompSession } from '@nest-stomp/core';
import { onCleanup, useCleanup } from '../support/cleanup.js';
import { describeWithBroker, EXTERNAL_BROKERS, probeAll, startRelayServer, unique } from '../support/brokers.js';
import type { ParsedFrame } from '../support/frame-parser.js';
import { RawClient } from '../support/raw-client.js';
import type { TestServer } from '../support/test-server.js';
// Internal: the broker connection the relay pauses while MESSAGEs linger.
import { BrokerConnection } from '../../packages/stomp-core/src/relay/broker-connection.js';
import { deferred } from '../support/wait.js';

useCleanup();

const reachable = await probeAll();

async function client(ts: TestServer): Promise<RawClient> {
  const c = await RawClient.open(ts, 'tcp');
  await c.connect();
  return c;
}

async function subscriber(ts: TestServer, queue: string): Promise<{ sub: RawClient; session: StompSession }> {
  const sub = await client(ts);
  sub.send('SUBSCRIBE', { id: 's1', destination: queue, receipt: 'subscribed' });
  await sub.receipt('subscribed');
  const session = [...ts.server.sessions.values()].find((s) => s.subscriptions.has('s1'))!;
  return { sub, session };
}

function nextMessage(c: RawClient, timeout = 5_000): Promise<ParsedFrame> {
  return c.waitFor((f) => f.command === 'MESSAGE', timeout, 'a MESSAGE');
}

/** Sessions DeliveryLinger.add() was given, in order, and a promise for the first one. */
function watchLinger(): { added: unknown[]; first: Promise<void> } {
  const added: unknown[] = [];
  const first = deferred<void>();
  const add = DeliveryLinger.prototype.add;
  const spy = jest.spyOn(DeliveryLinger.prototype, 'add').mockImplementation(function (this: DeliveryLinger, session) {
    added.push(session);
    first.resolve();
    add.call(this, session);
  });
  onCleanup(() => spy.mockRestore());
  return { added, first: first.promise };
}

for (const broker of EXTERNAL_BROKERS) {
  describeWithBroker(broker, reachable.get(broker)!)(`relay to ${broker.name}: linger`, () => {
    it('the first MESSAGE after a quiet spell leaves at once; the next ones wait for the linger, then come together', async () => {
      const ts = await startRelayServer(broker, { linger: 200 });
      const queue = `/queue/${unique('linger.')}`;
      const { sub, session } = await subscriber(ts, queue);
      const pub = await client(ts);
      const linger = watchLinger();
      // The SUBSCRIBE's RECEIPT was a write: only once the linger has passed since is the client quiet.
      // Time itself is what is tested here, so a wait is the condition.
      await new Promise((resolve) => setTimeout(resolve, 250));
      pub.send('SEND', { destination: queue }, 'A');
      expect((await nextMessage(sub)).body.toString()).toBe('A');
      const aAt = performance.now();
      expect(linger.added.length).toBe(0);
      pub.send('SEND', { destination: queue }, 'B');
      pub.send('SEND', { destination: queue }, 'C');
      expect((await nextMessage(sub)).body.toString()).toBe('B');
      expect((await nextMessage(sub)).body.toString()).toBe('C');
      // B came less than 200 ms after A was written: it waited for the linger (timers never fire early).
      expect(performance.now() - aAt).toBeGreaterThanOrEqual(150);
      expect(linger.added.length).toBeGreaterThan(0);
      expect(linger.added.every((s) => s === session)).toBe(true);
    });

    it('a RECEIPT does not wait: it leaves in this turn and takes the waiting MESSAGEs along', async () => {
      const ts = await startRelayServer(broker, { linger: 5_000 });
      const queue = `/queue/${unique('linger-r.')}`;
      const { sub, session } = await subscriber(ts, queue);
      const pub = await client(ts);
      const linger = watchLinger();
      // The client was just written to (the SUBSCRIBE's RECEIPT): this MESSAGE is held for up to 5 s.
      pub.send('SEND', { destination: queue }, 'waiting');
      await linger.first;
      expect(linger.added[0] === session).toBe(true);
      const before = performance.now();
      sub.send('BEGIN', { transaction: 't1', receipt: 'begun' }); // answered by the session itself
      await sub.receipt('begun', 2_000);
      expect(performance.now() - before).toBeLessThan(2_000);
      // The MESSAGE came with it, before it (queued first, one write).
      expect(sub.messages().map((m) => m.body.toString())).toEqual(['waiting']);
    });

    it('linger: 0 writes every MESSAGE in the turn it arrived: nothing waits, a stream arrives whole and in order', async () => {
      const ts = await startRelayServer(broker, { linger: 0 });
      expect(ts.server.deliveryLinger).toBeUndefined();
      const queue = `/queue/${unique('linger-0.')}`;
      const { sub } = await subscriber(ts, queue);
      const pub = await client(ts);
      const linger = watchLinger();
      const count = 300;
      for (let i = 0; i < count; i++) pub.send('SEND', { destination: queue }, `m${i}`);
      const bodies: string[] = [];
      for (let i = 0; i < count; i++) bodies.push((await nextMessage(sub)).body.toString());
      expect(bodies).toEqual(Array.from({ length: count }, (_, i) => `m${i}`));
      expect(linger.added.length).toBe(0);
    });

    it('with the default linger a stream arrives whole and in order, in fewer writes than MESSAGEs', async () => {
      const ts = await startRelayServer(broker);
      expect(ts.server.deliveryLinger?.ms).toBe(1);
      const queue = `/queue/${unique('linger-1.')}`;
      const { sub, session } = await subscriber(ts, queue);
      const writes = jest.spyOn(session.connection, 'write');
      onCleanup(() => writes.mockRestore());
      // While its MESSAGEs linger, the session's broker connection is not read (one read per linger
      // instead of one per MESSAGE or two); every pause ends when they are written.
      const paused = jest.spyOn(BrokerConnection.prototype, 'pause');
      const resumed = jest.spyOn(BrokerConnection.prototype, 'resume');
      onCleanup(() => {
        paused.mockRestore();
        resumed.mockRestore();
      });
      const pub = await client(ts);
      const linger = watchLinger();
      const count = 2_000;
      const body = 'x'.repeat(100);
      for (let i = 0; i < count; i++) pub.send('SEND', { destination: queue, 'x-n': String(i) }, body);
      for (let i = 0; i < count; i++) expect((await nextMessage(sub)).headers['x-n']).toBe(String(i));
      expect(writes.mock.calls.length).toBeLessThan(count);
      // A stream this dense finds the client written to within the last ms again and again.
      expect(linger.added.length).toBeGreaterThan(0);
      expect(linger.added.every((s) => s === session)).toBe(true);
      expect(paused.mock.calls.length).toBeGreaterThan(0);
      expect(resumed.mock.calls.length).toBe(paused.mock.calls.length);
    });
  });
}

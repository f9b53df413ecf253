// The relay against real brokers (RabbitMQ and ActiveMQ, each if reachable): stompjs clients
// through our server; every frame kind passes through, acks map across client versions,
// transactions, receipts, and a broker ERROR that fails one client only.
import { StompErrorCode } from '@nest-stomp/core';
import { useCleanup } from '../support/cleanup.js';
import { ACTIVEMQ, describeWithBroker, EXTERNAL_BROKERS, probeAll, RABBITMQ, startRelayServer, unique, type ExternalBroker } from '../support/brokers.js';
import { RawClient } from '../support/raw-client.js';
import { AsyncQueue } from '../support/wait.js';
import { connectClient } from '../support/stomp-client.js';
import type { TestServer } from '../support/test-server.js';

useCleanup();

const reachable = await probeAll();

/** A SUBSCRIBE each broker answers with ERROR (and the prefixes that let it through the relay). */
const BROKER_ERROR: Record<ExternalBroker['name'], { prefixes: string[]; destination: string; headers: Record<string, string> }> = {
  // /amq/queue/<name> names an existing queue only: RabbitMQ refuses a missing one (not_found).
  RabbitMQ: { prefixes: ['/topic', '/queue', '/amq'], destination: `/amq/queue/${unique('missing-')}`, headers: {} },
  // An unparsable JMS selector.
  ActiveMQ: { prefixes: ['/topic', '/queue'], destination: '/queue/selector-error', headers: { selector: 'a = = b' } },
};

for (const broker of EXTERNAL_BROKERS) {
  describeWithBroker(broker, reachable.get(broker)!)(`relay to ${broker.name}`, () => {
    let ts: TestServer;
    beforeEach(async () => {
      ts = await startRelayServer(broker, { destinationPrefixes: BROKER_ERROR[broker.name].prefixes });
    });

    it('topic: a SEND from a WS client reaches WS and TCP subscribers with its headers and body', async () => {
      const a = await connectClient(ts, 'ws');
      const b = await connectClient(ts, 'tcp');
      const topic = `/topic/${unique('t.')}`;
      const [ia, ib] = await Promise.all([a.subscribe(topic), b.subscribe(topic)]);
      await a.publish(topic, 'hello relay', { 'content-type': 'text/plain', 'x-custom': 'kept' });
      for (const inbox of [ia, ib]) {
        const m = await inbox.next(5_000);
        expect(m.body).toBe('hello relay');
        expect(m.headers.destination).toBe(topic);
        expect(m.headers['x-custom']).toBe('kept');
        expect(m.headers['content-type']).toMatch(/^text\/plain/);
        expect(m.headers.subscription).toBe(inbox.subscription.id);
        expect(m.headers.receipt).toBeUndefined(); // the relay's receipt for the SEND (RabbitMQ copies it) stays ours
      }
      expect(a.connectedFrame.headers.server).toMatch(/^nest-stomp/);
    });

    it('queue: competing consumers each get a message once; server.publish goes over the system session', async () => {
      const queue = `/queue/${unique('q.')}`;
      const a = await connectClient(ts, 'ws');
      const b = await connectClient(ts, 'tcp');
      const all = new AsyncQueue<string>();
      const counts = [0, 0];
      await Promise.all(
        [a, b].map(async (c, i) => {
          const [id, done] = c.receipt();
          c.client.subscribe(queue, (m) => {
            counts[i]!++;
            all.push(m.body);
          }, { receipt: id });
          await done;
        }),
      );
      for (let i = 0; i < 6; i++) ts.server.publish(queue, `m${i}`, { 'content-type': 'text/plain' });
      const seen = await all.take(6, 5_000, 'six queue messages');
      expect([...seen].sort()).toEqual(['m0', 'm1', 'm2', 'm3', 'm4', 'm5']);
      await a.sync();
      await b.sync();
      expect(counts[0]! + counts[1]!).toBe(6);
    });

    it.each([['1.0'], ['1.1'], ['1.2']])('client-individual acks of a STOMP %s client map to the broker ack ids', async (version) => {
      const queue = `/queue/${unique('ack.')}`;
      const producer = await connectClient(ts, 'tcp');
      for (const body of ['one', 'two']) await producer.publish(queue, body);
      const first = await connectClient(ts, 'tcp', { versions: [version] });
      const inbox = await first.subscribe(queue, { ack: 'client-individual' });
      const [m1, m2] = await inbox.take(2, 5_000);
      expect([m1!.body, m2!.body]).toEqual(['one', 'two']);
      const [rid, acked] = first.receipt();
      m1!.ack({ receipt: rid }); // stompjs uses `id` (1.2) or `message-id` + `subscription` (1.0/1.1)
      await acked;
      await first.kill(); // 'two' was never acked: the broker gives it to the next consumer
      const second = await connectClient(ts, 'ws');
      const again = await second.subscribe(queue, { ack: 'client-individual' });
      const redelivered = await again.next(10_000);
      expect(redelivered.body).toBe('two');
      redelivered.ack();
      await second.sync();
      expect(again.bodies).toEqual(['two']);
    });

    it('transactions: COMMIT delivers the SENDs in order, ABORT drops them', async () => {
      const queue = `/queue/${unique('tx.')}`;
      const c = await connectClient(ts, 'ws');
      const inbox = await c.subscribe(queue);
      const t1 = c.client.begin();
      c.publishNow(queue, 'aborted', { transaction: t1.id });
      t1.abort();
      const t2 = c.client.begin();
      c.publishNow(queue, 'first', { transaction: t2.id });
      c.publishNow(queue, 'second', { transaction: t2.id });
      await c.sync();
      expect(inbox.bodies).toEqual([]);
      t2.commit();
      const got = await inbox.take(2, 5_000);
      expect(got.map((m) => m.body)).toEqual(['first', 'second']);
      await c.sync();
      expect(inbox.bodies).toEqual(['first', 'second']);
    });

    it('a RECEIPT comes once the broker confirmed: a new subscriber then finds the persistent message', async () => {
      const queue = `/queue/${unique('rcpt.')}`;
      const c = await connectClient(ts, 'tcp');
      await c.publish(queue, 'kept', { persistent: 'true' });
      const d = await connectClient(ts, 'tcp');
      const inbox = await d.subscribe(queue);
      expect((await inbox.next(5_000)).body).toBe('kept');
    });

    it('DISCONNECT with a receipt: the RECEIPT comes once the broker has what the client sent before', async () => {
      const queue = `/queue/${unique('disc.')}`;
      const raw = await RawClient.open(ts, 'tcp');
      await raw.connect();
      for (let i = 0; i < 50; i++) raw.send('SEND', { destination: queue, persistent: 'true' }, `m${i}`);
      raw.send('DISCONNECT', { receipt: 'bye' });
      await raw.receipt('bye', 5_000);
      await raw.waitClosed();
      const c = await connectClient(ts, 'ws');
      const inbox = await c.subscribe(queue);
      const got = await inbox.take(50, 5_000);
      expect(got.map((m) => m.body)).toEqual(Array.from({ length: 50 }, (_, i) => `m${i}`));
    });

    it('UNSUBSCRIBE passes through: no more MESSAGEs after its RECEIPT', async () => {
      const topic = `/topic/${unique('u.')}`;
      const c = await connectClient(ts, 'ws');
      const inbox = await c.subscribe(topic);
      await c.publish(topic, 'before');
      expect((await inbox.next(5_000)).body).toBe('before');
      await c.unsubscribe(inbox);
      await c.publish(topic, 'after');
      await c.sync();
      expect(inbox.bodies).toEqual(['before']);
      expect(c.unhandled).toEqual([]);
    });

    it('a broker ERROR reaches that client (with its receipt-id) and closes only that client', async () => {
      const bystander = await connectClient(ts, 'ws');
      const topic = `/topic/${unique('iso.')}`;
      const inbox = await bystander.subscribe(topic);
      const victim = await RawClient.open(ts, 'tcp');
      const connected = await victim.connect({ 'accept-version': '1.2' });
      const bad = BROKER_ERROR[broker.name];
      victim.send('SUBSCRIBE', { id: 's1', destination: bad.destination, receipt: 'bad-1', ...bad.headers });
      const error = await victim.expectErrorThenClose(5_000);
      expect(error.headers.message).toBe(broker.name === 'RabbitMQ' ? 'not_found' : 'a = = b'); // the broker's own words
      // ActiveMQ names the receipt of the failed frame; RabbitMQ's ERROR names none.
      if (broker.name === 'ActiveMQ') expect(error.headers['receipt-id']).toBe('bad-1');
      expect((await ts.sessionClosed(connected.headers.session!))?.code).toBe(StompErrorCode.BROKER_ERROR);
      await bystander.publish(topic, 'still here');
      expect((await inbox.next(5_000)).body).toBe('still here');
    });

    it('broker-specific SUBSCRIBE headers pass through untouched (RabbitMQ prefetch-count, ActiveMQ selector)', async () => {
      const queue = `/queue/${unique('hdr.')}`;
      const producer = await connectClient(ts, 'tcp');
      if (broker.name === 'RabbitMQ') {
        for (const body of ['1', '2', '3']) await producer.publish(queue, body);
        const greedy = await connectClient(ts, 'ws');
        const held = await greedy.subscribe(queue, { ack: 'client-individual', 'prefetch-count': '1' });
        expect((await held.next(5_000)).body).toBe('1');
        // prefetch-count:1 keeps the rest in the queue, so a second consumer gets them.
        const other = await connectClient(ts, 'ws');
        const rest = await other.subscribe(queue);
        expect((await rest.take(2, 5_000)).map((m) => m.body)).toEqual(['2', '3']);
      } else {
        await producer.publish(queue, 'blue', { color: 'blue' });
        await producer.publish(queue, 'red', { color: 'red' });
        const picky = await connectClient(ts, 'ws');
        const reds = await picky.subscribe(queue, { selector: "color = 'red'" });
        const m = await reds.next(5_000);
        expect(m.body).toBe('red');
        expect(m.headers.color).toBe('red');
      }
    });

    it('maxSubscriptionsPerSession bounds what one client holds on the broker', async () => {
      const limited = await startRelayServer(broker, {}, { broker: { maxSubscriptionsPerSession: 2 } });
      const raw = await RawClient.open(limited, 'tcp');
      await raw.connect();
      for (const id of ['a', 'b']) raw.send('SUBSCRIBE', { id, destination: `/topic/${unique('lim.')}` });
      raw.send('SUBSCRIBE', { id: 'c', destination: `/topic/${unique('lim.')}` });
      const error = await raw.expectErrorThenClose(5_000);
      expect(error.headers.message).toMatch(/Too many subscriptions \(limit 2\)/);
    });

    it('app destinations are not relayed: a SEND to /app without a handler is refused by us', async () => {
      const raw = await RawClient.open(ts, 'tcp');
      await raw.connect();
      raw.send('SEND', { destination: '/app/nothing' }, 'x');
      const error = await raw.expectErrorThenClose();
      expect(error.headers.message).toMatch(/No handler/);
    });
  });
}

// Which brokers were found is visible in the run's output.
test('external brokers probed', () => {
  expect([RABBITMQ, ACTIVEMQ].every((b) => reachable.has(b))).toBe(true);
});

// The relay passes a broker MESSAGE on to the client as the broker sent it when rewriting it would
// give the same frame (same STOMP version, the client's own subscription id, nothing to rewrite),
// and builds it anew otherwise. Both kinds must reach the client with the right headers and body,
// and nothing read from the broker may be changed by later reads (the relay reads into a reused buffer).
import { jest } from '@jest/globals';
import { StompSession, type ChannelInterceptor } from '@nest-stomp/core';
import { onCleanup, useCleanup } from '../support/cleanup.js';
import { describeWithBroker, EXTERNAL_BROKERS, probeAll, startRelayServer, unique } from '../support/brokers.js';
import { escapeHeader, type ParsedFrame } from '../support/frame-parser.js';
import { RawClient } from '../support/raw-client.js';
// Internal: which path a broker MESSAGE took (scanned without decoding, or decoded).
import { RelayClientSession } from '../../packages/stomp-core/src/relay/relay-client-session.js';
import type { TestServer } from '../support/test-server.js';

useCleanup();

const reachable = await probeAll();

/** A header value with every character STOMP 1.1/1.2 escapes. */
const AWKWARD = 'a:b\nc\\d';
/** A body with NULs and EOLs (framed by content-length). */
const BINARY = Buffer.from([0, 1, 2, 255, 10, 0, 58, 13, 10]);

async function subscriber(ts: TestServer, id: string, destination: string, version = '1.2'): Promise<RawClient> {
  const client = await RawClient.open(ts, 'tcp');
  await client.connect({ 'accept-version': version });
  client.send('SUBSCRIBE', { id, destination, receipt: `sub-${id}` });
  await client.receipt(`sub-${id}`);
  return client;
}

async function publisher(ts: TestServer): Promise<RawClient> {
  const client = await RawClient.open(ts, 'tcp');
  await client.connect();
  return client;
}

function nextMessage(client: RawClient, timeout = 5_000): Promise<ParsedFrame> {
  return client.waitFor((frame) => frame.command === 'MESSAGE', timeout, 'a MESSAGE');
}

/** What forwardFrame answered for `session` (true: passed on as received). */
function answersFor(spy: jest.SpiedFunction<StompSession['forwardFrame']>, sessionId: string): boolean[] {
  const out: boolean[] = [];
  spy.mock.contexts.forEach((session, i) => {
    if ((session as StompSession).id === sessionId) out.push(spy.mock.results[i]!.value as boolean);
  });
  return out;
}

for (const broker of EXTERNAL_BROKERS) {
  describeWithBroker(broker, reachable.get(broker)!)(`relay to ${broker.name}: MESSAGE frames passed on as received`, () => {
    let forwarded: jest.SpiedFunction<StompSession['forwardFrame']>;
    beforeEach(() => {
      forwarded = jest.spyOn(StompSession.prototype, 'forwardFrame');
    });
    afterEach(() => forwarded.mockRestore());

    it('a 1.2 client gets the broker frame as is: its own subscription id, escaped headers, a binary body', async () => {
      const ts = await startRelayServer(broker);
      const topic = `/topic/${unique('fwd.')}`;
      const sub = await subscriber(ts, 'my-own-id-7', topic);
      const pub = await publisher(ts);
      pub.send('SEND', { destination: topic, 'x-text': escapeHeader(AWKWARD), 'content-length': String(BINARY.length) }, BINARY);
      const m = await nextMessage(sub);
      expect(m.headers.subscription).toBe('my-own-id-7');
      expect(m.headers.destination).toBe(topic);
      expect(m.headers['x-text']).toBe(AWKWARD);
      expect(m.headers['message-id']).toEqual(expect.any(String));
      expect(m.headers.receipt).toBeUndefined();
      expect(m.body.equals(BINARY)).toBe(true);
      const session = [...ts.server.sessions.values()].find((s) => s.subscriptions.has('my-own-id-7'))!;
      expect(answersFor(forwarded, session.id)).toEqual([true]);
    });

    it('a 1.2 client gets a MESSAGE without escapes as is (read without decoding), and a client-individual one acks', async () => {
      const scanned = jest.spyOn(RelayClientSession.prototype, 'onScannedMessage');
      onCleanup(() => scanned.mockRestore());
      const ts = await startRelayServer(broker);
      const queue = `/queue/${unique('plain.')}`;
      const sub = await RawClient.open(ts, 'tcp');
      await sub.connect();
      sub.send('SUBSCRIBE', { id: 'plain-9', destination: queue, ack: 'client-individual', receipt: 'p' });
      await sub.receipt('p');
      const pub = await publisher(ts);
      for (const body of ['one', 'two']) pub.send('SEND', { destination: queue, 'x-plain': 'v1', 'content-length': String(body.length) }, body);
      const first = await nextMessage(sub);
      const second = await nextMessage(sub);
      for (const [m, body] of [[first, 'one'], [second, 'two']] as const) {
        expect(m.headers.subscription).toBe('plain-9');
        expect(m.headers.destination).toBe(queue);
        expect(m.headers['x-plain']).toBe('v1');
        expect(m.body.toString()).toBe(body);
        expect(m.headers.ack).toEqual(expect.any(String));
      }
      const session = [...ts.server.sessions.values()].find((s) => s.subscriptions.has('plain-9'))!;
      // RabbitMQ's ack id is its message-id (passed on as is); ActiveMQ's is not (rebuilt: message-id = ack).
      if (broker.name === 'RabbitMQ') {
        expect(answersFor(forwarded, session.id)).toEqual([true, true]);
        expect(scanned.mock.results.map((r) => r.value)).toEqual([true, true]); // neither was decoded
      } else {
        expect(first.headers['message-id']).toBe(first.headers.ack);
      }
      for (const m of [first, second]) sub.send('ACK', { id: m.headers.ack!, receipt: `a-${m.body}` });
      await sub.receipt('a-one');
      await sub.receipt('a-two');
      sub.destroy();
      // Both were acked: a new consumer finds the queue empty (a marker sent after them comes first).
      const again = await subscriber(ts, 'again-1', queue);
      pub.send('SEND', { destination: queue, 'content-length': '6' }, 'marker');
      expect((await nextMessage(again)).body.toString()).toBe('marker');
    });

    it('a 1.0 client gets a MESSAGE without escapes rewritten for its version too', async () => {
      const ts = await startRelayServer(broker);
      const topic = `/topic/${unique('v10p.')}`;
      const sub = await subscriber(ts, 'old-2', topic, '1.0');
      const pub = await publisher(ts);
      pub.send('SEND', { destination: topic, 'x-plain': 'v2', 'content-length': '3' }, 'abc');
      const m = await nextMessage(sub);
      expect(m.headers.subscription).toBe('old-2');
      expect(m.headers['x-plain']).toBe('v2');
      expect(m.body.toString()).toBe('abc');
      const session = [...ts.server.sessions.values()].find((s) => s.subscriptions.has('old-2'))!;
      const answers = answersFor(forwarded, session.id);
      expect(answers.length).toBeGreaterThan(0);
      expect(answers.every((a) => a === false)).toBe(true);
    });

    it('a 1.0 client gets the MESSAGE rewritten for its version (no header escaping in 1.0)', async () => {
      const ts = await startRelayServer(broker);
      const topic = `/topic/${unique('v10.')}`;
      const sub = await subscriber(ts, 'old-1', topic, '1.0');
      const pub = await publisher(ts);
      pub.send('SEND', { destination: topic, 'x-text': escapeHeader('a:b'), 'content-length': String(BINARY.length) }, BINARY);
      const m = await nextMessage(sub);
      expect(m.headers.subscription).toBe('old-1');
      expect(m.rawHeaders).toContainEqual(['x-text', 'a:b']); // as the broker sent it, it would read `a\cb`
      expect(m.body.equals(BINARY)).toBe(true);
      const session = [...ts.server.sessions.values()].find((s) => s.subscriptions.has('old-1'))!;
      expect(answersFor(forwarded, session.id)).toEqual([false]);
    });

    it('a MESSAGE larger than one read arrives whole, and the small one after it too', async () => {
      const ts = await startRelayServer(broker, {}, { limits: { maxFrameSize: 1024 * 1024 } });
      const queue = `/queue/${unique('big.')}`;
      const sub = await subscriber(ts, 'big-1', queue);
      const pub = await publisher(ts);
      const big = Buffer.alloc(300 * 1024);
      for (let i = 0; i < big.length; i++) big[i] = (i * 7) & 0xff;
      pub.send('SEND', { destination: queue, 'content-length': String(big.length) }, big);
      pub.send('SEND', { destination: queue, 'content-length': '5' }, 'small');
      const first = await nextMessage(sub, 10_000);
      expect(first.body.equals(big)).toBe(true);
      const second = await nextMessage(sub);
      expect(second.body.toString()).toBe('small');
      expect(second.headers.subscription).toBe('big-1');
    });

    it('with an outbound interceptor, MESSAGE frames it keeps are not changed by later reads from the broker', async () => {
      const kept: Array<{ body: Buffer; headers: Record<string, string> }> = [];
      const keeper: ChannelInterceptor = {
        preSend(frame, _session, direction) {
          if (direction === 'outbound' && frame.command === 'MESSAGE') kept.push({ body: frame.body, headers: frame.headers });
        },
      };
      const ts = await startRelayServer(broker, {}, { interceptors: [keeper] });
      const topic = `/topic/${unique('keep.')}`;
      const sub = await subscriber(ts, 'keep-1', topic);
      const pub = await publisher(ts);
      const bodies = Array.from({ length: 20 }, (_, i) => `body-${i}-${'x'.repeat(i * 13)}`);
      for (const body of bodies) pub.send('SEND', { destination: topic, 'x-n': body.slice(0, 8) }, body);
      for (let i = 0; i < bodies.length; i++) await nextMessage(sub);
      // More reads into the same buffer: a kept view of it would now show these bytes.
      for (let i = 0; i < 5; i++) pub.send('SEND', { destination: topic }, 'Z'.repeat(4000));
      for (let i = 0; i < 5; i++) await nextMessage(sub);
      expect(kept.slice(0, 20).map((k) => k.body.toString())).toEqual(bodies);
      expect(kept.slice(0, 20).map((k) => k.headers['x-n'])).toEqual(bodies.map((b) => b.slice(0, 8)));
      expect(forwarded.mock.results.every((r) => r.value === false)).toBe(true);
    });
  });
}

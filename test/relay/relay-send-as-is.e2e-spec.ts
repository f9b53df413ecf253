// The relay passes a client's SEND to the broker as the client sent it when encoding it again would
// give the broker the same frame (both sides STOMP 1.2, nothing of it for our side to act on), and
// encodes it anew otherwise (another version, a receipt, a transaction, headers we drop, a frame cut
// across reads, an inbound interceptor). Either way subscribers must get the same headers and body.
import { jest } from '@jest/globals';
import { StompSession, type ChannelInterceptor } from '@nest-stomp/core';
import { onCleanup, useCleanup } from '../support/cleanup.js';
import { describeWithBroker, EXTERNAL_BROKERS, probeAll, startRelayServer, unique } from '../support/brokers.js';
import { escapeHeader, type ParsedFrame } from '../support/frame-parser.js';
import { RawClient, type Transport } from '../support/raw-client.js';
// Internal: a frame queued for the broker as received rather than encoded.
import { BrokerConnection } from '../../packages/stomp-core/src/relay/broker-connection.js';
import { RelayClientSession } from '../../packages/stomp-core/src/relay/relay-client-session.js';
import type { TestServer } from '../support/test-server.js';

useCleanup();

const reachable = await probeAll();

/** A header value with every character STOMP 1.1/1.2 escapes. */
const AWKWARD = 'a:b\nc\\d';
/** A body with NULs and EOLs (framed by content-length). */
const BINARY = Buffer.from([0, 1, 2, 255, 10, 0, 58, 13, 10]);

async function subscriber(ts: TestServer, destination: string): Promise<RawClient> {
  const client = await RawClient.open(ts, 'tcp');
  await client.connect();
  client.send('SUBSCRIBE', { id: 'sub-1', destination, receipt: 'subscribed' });
  await client.receipt('subscribed');
  return client;
}

async function publisher(ts: TestServer, version = '1.2', transport: Transport = 'tcp'): Promise<RawClient> {
  const client = await RawClient.open(ts, transport);
  await client.connect({ 'accept-version': version });
  return client;
}

function nextMessage(client: RawClient): Promise<ParsedFrame> {
  return client.waitFor((frame) => frame.command === 'MESSAGE', 5_000, 'a MESSAGE');
}

for (const broker of EXTERNAL_BROKERS) {
  describeWithBroker(broker, reachable.get(broker)!)(`relay to ${broker.name}: SEND frames passed on as received`, () => {
    let asIs: jest.SpiedFunction<BrokerConnection['sendBytes']>;
    beforeEach(() => {
      asIs = jest.spyOn(BrokerConnection.prototype, 'sendBytes');
    });
    afterEach(() => asIs.mockRestore());

    /** The SENDs the relay queued for the broker as received, as text. */
    const sentAsIs = (): string[] => asIs.mock.calls.map(([bytes]) => bytes.toString('latin1'));

    it.each<[Transport]>([['tcp'], ['ws']])(
      'over %s, a 1.2 SEND reaches the broker byte for byte: escaped and repeated headers, a binary body',
      async (transport) => {
        const ts = await startRelayServer(broker);
        const queue = `/queue/${unique('asis.')}`;
        const sub = await subscriber(ts, queue);
        const pub = await publisher(ts, '1.2', transport);
        pub.send(
          'SEND',
          [
            ['destination', queue],
            ['x-text', escapeHeader(AWKWARD)],
            ['x-twice', 'first'],
            ['x-twice', 'second'],
            ['content-length', String(BINARY.length)],
          ],
          BINARY,
        );
        const m = await nextMessage(sub);
        expect(m.headers['x-text']).toBe(AWKWARD);
        // STOMP 1.2: the first of repeated headers counts, for us and for both brokers.
        expect(m.headers['x-twice']).toBe('first');
        expect(m.body.equals(BINARY)).toBe(true);
        const sent = sentAsIs();
        expect(sent).toHaveLength(1);
        expect(sent[0]).toContain('x-twice:second\n');
        expect(sent[0]!.endsWith('\0')).toBe(true);
      },
    );

    it('CR LF line ends and a body without content-length pass as received, and read the same', async () => {
      const ts = await startRelayServer(broker);
      const queue = `/queue/${unique('crlf.')}`;
      const sub = await subscriber(ts, queue);
      const pub = await publisher(ts);
      pub.write(`SEND\r\ndestination:${queue}\r\nx-kind:crlf\r\n\r\nplain text\0`);
      const m = await nextMessage(sub);
      expect(m.headers['x-kind']).toBe('crlf');
      expect(m.body.toString()).toBe('plain text');
      expect(sentAsIs()).toEqual([`SEND\r\ndestination:${queue}\r\nx-kind:crlf\r\n\r\nplain text\0`]);
    });

    it('a SEND with a receipt, one in a transaction and one naming message-id are encoded anew, and all arrive', async () => {
      const ts = await startRelayServer(broker);
      const queue = `/queue/${unique('enc.')}`;
      const sub = await subscriber(ts, queue);
      const pub = await publisher(ts);
      pub.send('SEND', { destination: queue, receipt: 'r-1' }, 'with-receipt');
      await pub.receipt('r-1');
      pub.send('BEGIN', { transaction: 'tx-1' });
      pub.send('SEND', { destination: queue, transaction: 'tx-1' }, 'in-tx');
      pub.send('COMMIT', { transaction: 'tx-1', receipt: 'c-1' });
      await pub.receipt('c-1');
      pub.send('SEND', { destination: queue, 'message-id': 'mine', subscription: 'not-yours' }, 'control');
      const bodies: string[] = [];
      for (let i = 0; i < 3; i++) {
        const m = await nextMessage(sub);
        bodies.push(m.body.toString());
        expect(m.headers.subscription).toBe('sub-1');
        expect(m.headers.transaction).toBeUndefined();
        expect(m.headers.receipt).toBeUndefined();
      }
      expect(bodies).toEqual(['with-receipt', 'in-tx', 'control']);
      expect(sentAsIs()).toEqual([]);
    });

    it('a 1.1 client and a SEND cut across reads are encoded anew', async () => {
      const ts = await startRelayServer(broker);
      const queue = `/queue/${unique('v11.')}`;
      const sub = await subscriber(ts, queue);
      const old = await publisher(ts, '1.1');
      old.send('SEND', { destination: queue, 'x-text': escapeHeader(AWKWARD) }, 'from-1.1');
      expect((await nextMessage(sub)).headers['x-text']).toBe(AWKWARD);
      const pub = await publisher(ts);
      // The second half is written once the server has read the first.
      const callbacks = StompSession.Callbacks.prototype;
      const data = callbacks.data;
      onCleanup(() => {
        callbacks.data = data;
      });
      const firstHalfRead = new Promise<void>((resolve) => {
        callbacks.data = function (this: InstanceType<typeof StompSession.Callbacks>, chunk: Buffer): void {
          data.call(this, chunk);
          if (chunk.includes('x-part:')) {
            callbacks.data = data;
            resolve();
          }
        };
      });
      pub.write(`SEND\ndestination:${queue}\nx-part:`);
      await firstHalfRead;
      pub.write('two\n\ncut\0');
      const m = await nextMessage(sub);
      expect(m.headers['x-part']).toBe('two');
      expect(m.body.toString()).toBe('cut');
      expect(sentAsIs()).toEqual([]);
    });

    it('with an inbound interceptor, the broker gets the frame as the interceptor left it', async () => {
      const tagger: ChannelInterceptor = {
        preSend(frame, _session, direction) {
          if (direction === 'inbound' && frame.command === 'SEND') frame.headers['x-tag'] = 'by-interceptor';
        },
      };
      const ts = await startRelayServer(broker, {}, { interceptors: [tagger] });
      const queue = `/queue/${unique('icpt.')}`;
      const sub = await subscriber(ts, queue);
      const pub = await publisher(ts);
      pub.send('SEND', { destination: queue, 'x-tag': 'by-client' }, 'tagged');
      expect((await nextMessage(sub)).headers['x-tag']).toBe('by-interceptor');
      expect(sentAsIs()).toEqual([]);
    });

    it('a session answers with the bytes of the frame being handled only, never of another', async () => {
      const answers = jest.spyOn(StompSession.prototype, 'receivedFrame');
      // What the session answers, asked from inside the relay's send, for an equal header map that
      // is not the frame's own and for another STOMP version.
      const send = RelayClientSession.prototype.send;
      const others: unknown[] = [];
      const relaySend = jest.spyOn(RelayClientSession.prototype, 'send').mockImplementation(function (this: RelayClientSession, message, headers) {
        others.push(this.client.receivedFrame?.({ ...headers! }, '1.2'), this.client.receivedFrame?.(headers!, '1.1'));
        return send.call(this, message, headers);
      });
      onCleanup(() => relaySend.mockRestore());
      try {
        const ts = await startRelayServer(broker);
        const queue = `/queue/${unique('own.')}`;
        const sub = await subscriber(ts, queue);
        const pub = await publisher(ts);
        // Three SENDs in one write: each is answered with its own bytes.
        const frames = ['one', 'two', 'three'].map((body) => `SEND\ndestination:${queue}\nx-n:${body}\n\n${body}\0`);
        pub.write(frames.join(''));
        for (const body of ['one', 'two', 'three']) expect((await nextMessage(sub)).body.toString()).toBe(body);
        const given = answers.mock.results.map((r) => (r.value as Buffer | undefined)?.toString('latin1'));
        expect(given.filter((g) => g !== undefined)).toEqual(frames);
        expect(others).toEqual(Array(6).fill(undefined));
        expect(sentAsIs()).toEqual(frames);
      } finally {
        answers.mockRestore();
      }
    });
  });
}

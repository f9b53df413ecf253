// Backpressure from the broker to the client through the relay: a broker that does not read makes
// the relay stop reading the client that floods it with SENDs, so the client's own writes back up
// and the process buffers no more than a socket's worth for that connection. Once the broker
// reads again, every message arrives, in order.
//
// The broker "does not read" through a TcpProxy in front of RabbitMQ or ActiveMQ that stops reading what the
// relay sends (hold) and starts again (release): real sockets all the way.
import { SessionState, type BrokerClient } from '@nest-stomp/core';
import { useCleanup } from '../support/cleanup.js';
import { describeWithBroker, EXTERNAL_BROKERS, probeAll, startRelayServer, unique } from '../support/brokers.js';
import { buildFrame } from '../support/frame-parser.js';
import { RawClient, TRANSPORTS, type Transport } from '../support/raw-client.js';
import { TcpProxy } from '../support/tcp-proxy.js';
import { delay, withTimeout } from '../support/wait.js';

useCleanup();

const reachable = await probeAll();
const COUNT = 3_000;
const BODY = 'x'.repeat(8_192);
/**
 * 24 MB in all. Loopback connections that are not read take a few MB into kernel buffers (the
 * two legs client → relay and relay → proxy took ~4 MB together here; tcp_wmem max is 4 MB
 * each). Without backpressure the relay reads all 24 MB and buffers ~20 MB of it (seen with the
 * pause taken out): the assertions below tell the two apart with a wide margin.
 */
const FLOOD_BYTES = COUNT * (BODY.length + 64);
/**
 * What the relay may hold for its broker socket while the broker does not read: the socket's
 * high-water mark (16 KB), plus the frames of one read from the client (a 64 KB TCP chunk, or one
 * WebSocket read) that are forwarded before the pause takes effect, plus a frame. Generous ×4.
 */
const PROCESS_BOUND = 4 * (16 * 1024 + 64 * 1024 + BODY.length + 1024);

/** How many bytes of the client's writes still sit in its own buffer (not taken by the kernel). */
function clientPending(client: RawClient): number {
  return client.socket !== undefined ? client.socket.writableLength : client.ws!.bufferedAmount;
}

/** Waits until `sample` has not changed for `quiet` ms (nothing moves: the flow has stopped). */
async function untilStalled(sample: () => number, quiet: number, timeout: number): Promise<void> {
  const deadline = Date.now() + timeout;
  let last = sample();
  let since = Date.now();
  while (Date.now() - since < quiet) {
    if (Date.now() > deadline) throw new Error(`still moving after ${timeout} ms (at ${last})`);
    // No event says "nothing more will move": sample at a short interval.
    await delay(50);
    const now = sample();
    if (now !== last) {
      last = now;
      since = Date.now();
    }
  }
}

for (const broker of EXTERNAL_BROKERS) {
  describeWithBroker(broker, reachable.get(broker)!)(`relay inbound backpressure with ${broker.name}`, () => {
    it.each<[Transport]>(TRANSPORTS)(
      'a broker that does not read pauses reading the %s client that floods SENDs; buffering stays bounded, nothing is lost',
      async (transport) => {
        const proxy = await TcpProxy.start(broker.host, broker.port);
        // No heart-beats: the held direction carries the relay's, and a hold must not look like a dead peer.
        const ts = await startRelayServer(broker, { port: proxy.port, clientHeartbeat: [0, 0], systemHeartbeat: [0, 0] });
        const queue = `/queue/${unique('ibp.')}`;

        const consumer = await RawClient.open(ts, 'tcp');
        await consumer.connect({ 'accept-version': '1.2', 'heart-beat': '0,0' });
        consumer.send('SUBSCRIBE', { id: 's', destination: queue, receipt: 'sub' });
        await consumer.receipt('sub');

        const producer = await RawClient.open(ts, transport);
        const connected = await producer.connect({ 'accept-version': '1.2', 'heart-beat': '0,0' });
        const session = ts.server.sessions.get(connected.headers.session!)!;
        // The relay's own connection for this client (read for its buffer size only).
        const relay = ts.server.relay as unknown as { sessions: Map<BrokerClient, { connection: { bufferedAmount: number } }> };
        const brokerConnection = relay.sessions.get(session)!.connection;

        proxy.hold();
        const frames: Buffer[] = [];
        for (let i = 0; i < COUNT; i++) frames.push(buildFrame('SEND', { destination: queue, seq: String(i) }, BODY));
        const total = frames.reduce((sum, frame) => sum + frame.length, 0);
        expect(total).toBeGreaterThanOrEqual(FLOOD_BYTES - COUNT * 64);
        for (const frame of frames) producer.write(frame); // all at once: the client's socket buffers what is not taken

        // The flow stops: neither the client's buffer nor the relay's moves any more.
        await untilStalled(() => clientPending(producer) + brokerConnection.bufferedAmount, 500, 20_000);
        const accepted = total - clientPending(producer);
        // The relay stopped reading: most of the flood is still in the client (the kernel holds ~8 MB).
        expect(accepted).toBeLessThan(total / 2);
        // And what it read is in the kernel, not in this process (beyond about a socket's worth).
        expect(brokerConnection.bufferedAmount).toBeLessThan(PROCESS_BOUND);
        expect(session.state).toBe(SessionState.Connected); // not dropped

        proxy.release();
        let received = 0;
        await withTimeout(
          consumer.waitFor((f) => f.command === 'MESSAGE' && ++received === COUNT, 60_000, `${COUNT} messages`),
          60_000,
          `${COUNT} messages`,
        );
        const seqs = consumer.messages().map((m) => Number(m.headers.seq));
        expect(seqs).toEqual(Array.from({ length: COUNT }, (_, i) => i));
        expect(consumer.messages().every((m) => m.body.length === BODY.length)).toBe(true);
        expect(clientPending(producer)).toBe(0);
      },
      90_000,
    );
  });
}

// Backpressure through the relay: a client that stops reading makes the relay stop reading its
// broker connection (the broker holds the messages), instead of buffering them in the process
// until the client is dropped as a slow consumer. When it reads again, everything arrives.
import { useCleanup } from '../support/cleanup.js';
import { describeWithBroker, EXTERNAL_BROKERS, probeAll, startRelayServer, unique } from '../support/brokers.js';
import { RawClient } from '../support/raw-client.js';
import { connectClient } from '../support/stomp-client.js';
import { withTimeout } from '../support/wait.js';

useCleanup();

const reachable = await probeAll();
const COUNT = 2_000;
const BODY = 'x'.repeat(4_096); // 8 MB in all: more than loopback socket buffers hold (unpaused, the session is dropped near 4 MB)

for (const broker of EXTERNAL_BROKERS) {
  describeWithBroker(broker, reachable.get(broker)!)(`relay backpressure with ${broker.name}`, () => {
    it('a client that does not read pauses its broker connection; it is not dropped and loses nothing', async () => {
      const ts = await startRelayServer(broker, {}, { sendBufferSizeLimit: 256 * 1024, sendTimeLimit: 60_000 });
      const queue = `/queue/${unique('bp.')}`;
      const slow = await RawClient.open(ts, 'tcp');
      const connected = await slow.connect({ 'accept-version': '1.2' });
      slow.send('SUBSCRIBE', { id: 's', destination: queue, receipt: 'sub' });
      await slow.receipt('sub');
      slow.pause();

      const producer = await connectClient(ts, 'ws');
      for (let i = 0; i < COUNT - 1; i++) producer.publishNow(queue, BODY, { seq: String(i) });
      // Its RECEIPT: the broker has taken all of them (8 MB: more than the default 3 s on a busy machine).
      const allSent = new Promise<void>((resolve) => producer.client.watchForReceipt('all-sent', () => resolve()));
      producer.publishNow(queue, BODY, { seq: String(COUNT - 1), receipt: 'all-sent' });
      await withTimeout(allSent, 30_000, 'the RECEIPT of the last SEND');

      slow.resume();
      let received = 0;
      let done = false;
      const dropped = slow.closed.promise.then(() => {
        if (!done) throw new Error(`the server dropped the client after ${received} messages`);
      });
      await Promise.race([slow.waitFor((f) => f.command === 'MESSAGE' && ++received === COUNT, 30_000, `${COUNT} messages`), dropped]);
      done = true;
      expect(received).toBe(COUNT);
      // A queue with one consumer keeps the producer's order, across the pause.
      const seqs = slow.messages().map((m) => Number(m.headers.seq));
      expect(seqs).toEqual(Array.from({ length: COUNT }, (_, i) => i));
      expect(ts.server.sessions.has(connected.headers.session!)).toBe(true);
    }, 60_000);
  });
}

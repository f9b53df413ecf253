// Slow consumers: a subscriber that stops reading is closed (send buffer limit or send time limit) while
// fast subscribers of the same topic get every message.
//
// Note on sizes: on loopback the kernel's socket buffers absorb ~4 MB before a paused reader makes the
// server's own buffer grow, so the producer keeps publishing (in 16 KiB messages, at most 24 MB) until
// the slow session is closed, rather than a fixed 1 MB.
import { useCleanup } from '../support/cleanup.js';
import { RawClient, TRANSPORTS, type Transport } from '../support/raw-client.js';
import { connectClient, type TestClient } from '../support/stomp-client.js';
import { startServer, type TestServer } from '../support/test-server.js';

useCleanup();

const MESSAGE_SIZE = 16 * 1024;
const MAX_BYTES = 24 * 1024 * 1024;

async function pausedSubscriber(ts: TestServer, transport: Transport, destination: string) {
  const slow = await RawClient.open(ts, transport);
  const connected = await slow.connect();
  slow.send('SUBSCRIBE', { id: 'slow', destination, receipt: 'sub' });
  await slow.receipt('sub');
  slow.pause();
  return { slow, sessionId: connected.headers.session! };
}

/**
 * Publishes 16 KiB messages until `stop()` says so (or MAX_BYTES), two per receipt so one turn of
 * the server never queues more than ~32 KiB for a subscriber. Returns the number published.
 */
async function flood(producer: TestClient, destination: string, stop: (sent: number) => boolean): Promise<number> {
  const filler = 'x'.repeat(MESSAGE_SIZE - 16);
  let sent = 0;
  while (!stop(sent) && sent * MESSAGE_SIZE < MAX_BYTES) {
    producer.publishNow(destination, `${String(sent++).padStart(8, '0')}:${filler}`);
    await producer.publish(destination, `${String(sent++).padStart(8, '0')}:${filler}`);
  }
  return sent;
}

describe.each(TRANSPORTS)('slow %s consumer', (transport) => {
  it('is closed at the send buffer limit; a fast subscriber gets every message', async () => {
    const ts = await startServer({ sendBufferSizeLimit: 64 * 1024, sendTimeLimit: 60_000 });
    const { slow, sessionId } = await pausedSubscriber(ts, transport, '/topic/flood');
    const fast = await connectClient(ts, transport === 'ws' ? 'tcp' : 'ws');
    const inbox = await fast.subscribe('/topic/flood');
    const producer = await connectClient(ts, 'ws');
    let slowClosed = false;
    const closed = ts.sessionClosed(sessionId, 20_000).then((error) => {
      slowClosed = true;
      return error;
    });
    const sent = await flood(producer, '/topic/flood', () => slowClosed);
    const error = await closed;
    expect(error?.code).toBe('STOMP_SLOW_CONSUMER');
    expect(ts.server.sessions.has(sessionId)).toBe(false);
    // Bounded: it was closed long before the producer's cap.
    expect(sent * MESSAGE_SIZE).toBeLessThan(MAX_BYTES);
    await producer.publish('/topic/flood', 'end');
    const got = await inbox.take(sent + 1, 10_000);
    expect(got.at(-1)!.body).toBe('end');
    for (let i = 0; i < sent; i++) expect(got[i]!.body.slice(0, 8)).toBe(String(i).padStart(8, '0'));
    expect(fast.isClosed).toBe(false);
    slow.resume();
    await slow.waitClosed();
  });

  it('is closed after the send time limit when it stops reading', async () => {
    const ts = await startServer({ sendBufferSizeLimit: 256 * 1024 * 1024, sendTimeLimit: 300 });
    const { slow, sessionId } = await pausedSubscriber(ts, transport, '/topic/stuck');
    const producer = await connectClient(ts, 'ws');
    let slowClosed = false;
    const closed = ts.sessionClosed(sessionId, 20_000).then((error) => {
      slowClosed = true;
      return error;
    });
    // A backlog well past what the kernel absorbs (~4 MB), then silence: only the time limit can end it.
    const backlog = (12 * 1024 * 1024) / MESSAGE_SIZE;
    await flood(producer, '/topic/stuck', (n) => slowClosed || n >= backlog);
    const error = await closed;
    expect(error?.code).toBe('STOMP_SLOW_CONSUMER');
    expect(error?.message).toMatch(/time/i);
    expect(ts.server.sessions.has(sessionId)).toBe(false);
    // The producer and the server go on.
    await producer.sync();
    slow.resume();
    await slow.waitClosed();
  });

  it('a reader that pauses briefly and resumes is not closed and loses nothing', async () => {
    const ts = await startServer({ sendBufferSizeLimit: 64 * 1024 * 1024, sendTimeLimit: 5_000 });
    const { slow, sessionId } = await pausedSubscriber(ts, transport, '/topic/hiccup');
    const producer = await connectClient(ts, 'ws');
    // 6 MB: more than the kernel absorbs, so the server really buffers for a while.
    const target = (6 * 1024 * 1024) / MESSAGE_SIZE;
    const sent = await flood(producer, '/topic/hiccup', (n) => n >= target);
    slow.resume();
    await producer.publish('/topic/hiccup', 'end');
    await slow.waitFor((f) => f.command === 'MESSAGE' && f.body.toString() === 'end', 15_000);
    expect(slow.messages()).toHaveLength(sent + 1);
    expect(slow.isClosed).toBe(false);
    expect(ts.server.sessions.has(sessionId)).toBe(true);
  });
});

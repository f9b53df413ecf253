// Limits at n−1, n, n+1 through real sockets: the last accepted value works, the next one is an ERROR
// (with the stable code) and the connection closes.
import { useCleanup } from '../support/cleanup.js';
import { buildFrame } from '../support/frame-parser.js';
import { RawClient, TRANSPORTS, type Transport } from '../support/raw-client.js';
import { connectClient } from '../support/stomp-client.js';
import { startServer, type TestServer } from '../support/test-server.js';

useCleanup();

async function connected(ts: TestServer, transport: Transport): Promise<{ raw: RawClient; session: string }> {
  const raw = await RawClient.open(ts, transport);
  const frame = await raw.connect();
  return { raw, session: frame.headers.session! };
}

/** Sends `frame`; when `ok`, expects its RECEIPT; otherwise ERROR (code checked) then close. */
async function expectOutcome(ts: TestServer, transport: Transport, frame: Buffer, ok: boolean, code: string): Promise<void> {
  const { raw, session } = await connected(ts, transport);
  raw.write(frame);
  if (ok) {
    await raw.receipt('limit');
    expect(raw.isClosed).toBe(false);
    return;
  }
  const error = await raw.expectErrorThenClose();
  expect((await ts.sessionClosed(session))?.code).toBe(code);
  expect(error.headers.message).toEqual(expect.any(String));
}

/**
 * A SEND of exactly `size` bytes as CodecLimits counts a frame: "command, headers and body", i.e.
 * everything before the terminating NUL.
 */
function sendOfSize(size: number, withLength: boolean): Buffer {
  const build = (bodyLength: number) => {
    const headers: Record<string, string> = { destination: '/topic/limit', receipt: 'limit' };
    if (withLength) headers['content-length'] = String(bodyLength).padStart(4, '0');
    return buildFrame('SEND', headers, 'b'.repeat(bodyLength));
  };
  const frame = build(size - (build(0).length - 1));
  expect(frame.length - 1).toBe(size);
  return frame;
}

describe.each(TRANSPORTS)('codec limits over %s', (transport) => {
  const MAX_FRAME = 1024;
  const MAX_HEADERS = 6;
  const MAX_HEADER_LENGTH = 100;
  let ts: TestServer;
  beforeEach(async () => {
    ts = await startServer({
      limits: { maxFrameSize: MAX_FRAME, maxHeaders: MAX_HEADERS, maxHeaderLength: MAX_HEADER_LENGTH },
    });
  });

  it.each([
    [MAX_FRAME - 1, true, false],
    [MAX_FRAME, true, false],
    [MAX_FRAME + 1, false, false],
    [MAX_FRAME - 1, true, true],
    [MAX_FRAME, true, true],
    [MAX_FRAME + 1, false, true],
  ])(`maxFrameSize ${MAX_FRAME}: a %i-byte frame is accepted: %s (content-length: %s)`, async (size, ok, withLength) => {
    await expectOutcome(ts, transport, sendOfSize(size, withLength), ok, 'STOMP_FRAME_TOO_LARGE');
  });

  it('a content-length beyond maxFrameSize is refused before the body arrives', async () => {
    const { raw } = await connected(ts, transport);
    raw.write('SEND\ndestination:/topic/limit\ncontent-length:1000000\n\n');
    await raw.expectErrorThenClose();
  });

  it('a frame that never ends is refused once it passes maxFrameSize', async () => {
    const { raw } = await connected(ts, transport);
    raw.write('SEND\ndestination:/topic/limit\n\n');
    for (let i = 0; i < 4 && !raw.isClosed; i++) raw.write('z'.repeat(MAX_FRAME / 2));
    await raw.expectErrorThenClose();
  });

  it.each([
    [MAX_HEADERS - 1, true],
    [MAX_HEADERS, true],
    [MAX_HEADERS + 1, false],
  ])(`maxHeaders ${MAX_HEADERS}: a frame with %i header lines is accepted: %s`, async (count, ok) => {
    const headers: Array<[string, string]> = [['destination', '/topic/limit'], ['receipt', 'limit']];
    for (let i = headers.length; i < count; i++) headers.push([`x-h${i}`, 'v']);
    expect(headers).toHaveLength(count);
    await expectOutcome(ts, transport, buildFrame('SEND', headers), ok, 'STOMP_TOO_MANY_HEADERS');
  });

  it.each([
    [MAX_HEADER_LENGTH - 1, true],
    [MAX_HEADER_LENGTH, true],
    [MAX_HEADER_LENGTH + 1, false],
  ])(`maxHeaderLength ${MAX_HEADER_LENGTH}: a %i-byte header line is accepted: %s`, async (length, ok) => {
    const value = 'v'.repeat(length - 'x-long:'.length);
    expect(`x-long:${value}`).toHaveLength(length);
    const frame = buildFrame('SEND', [['destination', '/topic/limit'], ['x-long', value], ['receipt', 'limit']]);
    await expectOutcome(ts, transport, frame, ok, 'STOMP_HEADER_TOO_LONG');
  });
});

describe.each(TRANSPORTS)('broker and session limits over %s', (transport) => {
  it('maxSubscriptionsPerSession 3: the 3rd SUBSCRIBE works, the 4th is an ERROR', async () => {
    const ts = await startServer({ broker: { maxSubscriptionsPerSession: 3 } });
    const { raw, session } = await connected(ts, transport);
    for (const id of ['1', '2', '3']) {
      raw.send('SUBSCRIBE', { id, destination: `/topic/s${id}`, receipt: `sub-${id}` });
      await raw.receipt(`sub-${id}`);
    }
    raw.send('SUBSCRIBE', { id: '4', destination: '/topic/s4', receipt: 'sub-4' });
    const error = await raw.expectErrorThenClose();
    expect(error.headers['receipt-id']).toBe('sub-4');
    expect((await ts.sessionClosed(session))?.code).toBe('STOMP_LIMIT_EXCEEDED');
  });

  it('maxSubscriptionsPerSession counts live subscriptions: UNSUBSCRIBE frees a slot', async () => {
    const ts = await startServer({ broker: { maxSubscriptionsPerSession: 3 } });
    const { raw } = await connected(ts, transport);
    for (const id of ['1', '2', '3']) raw.send('SUBSCRIBE', { id, destination: `/topic/s${id}` });
    raw.send('UNSUBSCRIBE', { id: '2' });
    raw.send('SUBSCRIBE', { id: '4', destination: '/topic/s4', receipt: 'sub-4' });
    await raw.receipt('sub-4');
    expect(raw.isClosed).toBe(false);
  });

  it('maxQueuedMessages 5: the 6th SEND gets ERROR QUEUE_FULL; a consumer then gets exactly the 5', async () => {
    const ts = await startServer({ broker: { maxQueuedMessages: 5 } });
    const { raw, session } = await connected(ts, transport);
    for (let i = 1; i <= 5; i++) {
      raw.send('SEND', { destination: '/queue/bounded', receipt: `m${i}` }, `m${i}`);
      await raw.receipt(`m${i}`);
    }
    raw.send('SEND', { destination: '/queue/bounded', receipt: 'm6' }, 'm6');
    const error = await raw.expectErrorThenClose();
    expect(error.headers['receipt-id']).toBe('m6');
    expect((await ts.sessionClosed(session))?.code).toBe('STOMP_QUEUE_FULL');
    const consumer = await connectClient(ts, transport);
    const inbox = await consumer.subscribe('/queue/bounded');
    expect((await inbox.take(5)).map((m) => m.body)).toEqual(['m1', 'm2', 'm3', 'm4', 'm5']);
    await consumer.sync();
    expect(inbox.messages.all).toHaveLength(5);
  });

  it('maxQueuedMessages: a consumed message frees its place', async () => {
    const ts = await startServer({ broker: { maxQueuedMessages: 2 } });
    const consumer = await connectClient(ts, transport);
    const inbox = await consumer.subscribe('/queue/bounded-2');
    const producer = await connectClient(ts, transport);
    for (let i = 1; i <= 6; i++) await producer.publish('/queue/bounded-2', `m${i}`);
    expect((await inbox.take(6)).map((m) => m.body)).toEqual(['m1', 'm2', 'm3', 'm4', 'm5', 'm6']);
    expect(producer.isClosed).toBe(false);
  });

  it('maxTransactionsPerSession 2: the 3rd open transaction is an ERROR', async () => {
    const ts = await startServer({ maxTransactionsPerSession: 2 });
    const { raw, session } = await connected(ts, transport);
    raw.send('BEGIN', { transaction: 't1', receipt: 'b1' });
    raw.send('BEGIN', { transaction: 't2', receipt: 'b2' });
    await raw.receipt('b2');
    raw.send('BEGIN', { transaction: 't3', receipt: 'b3' });
    const error = await raw.expectErrorThenClose();
    expect(error.headers['receipt-id']).toBe('b3');
    expect((await ts.sessionClosed(session))?.code).toBe('STOMP_LIMIT_EXCEEDED');
  });

  it('maxTransactionsPerSession counts open ones: COMMIT frees a slot', async () => {
    const ts = await startServer({ maxTransactionsPerSession: 2 });
    const { raw } = await connected(ts, transport);
    raw.send('BEGIN', { transaction: 't1' });
    raw.send('BEGIN', { transaction: 't2' });
    raw.send('COMMIT', { transaction: 't1' });
    raw.send('BEGIN', { transaction: 't3', receipt: 'b3' });
    await raw.receipt('b3');
  });

  it('maxFramesPerTransaction 3: 3 SENDs commit, the 4th is an ERROR', async () => {
    const ts = await startServer({ maxFramesPerTransaction: 3 });
    const consumer = await connectClient(ts, transport);
    const inbox = await consumer.subscribe('/queue/tx-limit');
    const { raw, session } = await connected(ts, transport);
    raw.send('BEGIN', { transaction: 'ok' });
    for (let i = 1; i <= 3; i++) raw.send('SEND', { destination: '/queue/tx-limit', transaction: 'ok' }, `ok-${i}`);
    raw.send('COMMIT', { transaction: 'ok', receipt: 'c' });
    await raw.receipt('c');
    expect((await inbox.take(3)).map((m) => m.body)).toEqual(['ok-1', 'ok-2', 'ok-3']);
    raw.send('BEGIN', { transaction: 'big' });
    for (let i = 1; i <= 3; i++) raw.send('SEND', { destination: '/queue/tx-limit', transaction: 'big' }, `big-${i}`);
    raw.send('SEND', { destination: '/queue/tx-limit', transaction: 'big', receipt: 'fourth' }, 'big-4');
    const error = await raw.expectErrorThenClose();
    expect(error.headers['receipt-id']).toBe('fourth');
    expect((await ts.sessionClosed(session))?.code).toBe('STOMP_LIMIT_EXCEEDED');
    await consumer.sync();
    expect(inbox.messages.all).toHaveLength(3);
  });
});

// Limits at n−1, n, n+1 through real sockets: the last accepted value works, the next one is an ERROR
// (with the stable code) and the connection closes.
import { connect as netConnect, type Socket } from 'node:net';
import WebSocket from 'ws';
import { onCleanup, useCleanup } from '../support/cleanup.js';
import { buildFrame } from '../support/frame-parser.js';
import { RawClient, TRANSPORTS, type Transport } from '../support/raw-client.js';
import { connectClient } from '../support/stomp-client.js';
import { startServer, type TestServer } from '../support/test-server.js';
import { deferred, withTimeout } from '../support/wait.js';

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

  it('maxQueues 3: the 3rd queue is created, the 4th (by SEND or SUBSCRIBE) is an ERROR; a drained queue frees its place', async () => {
    const ts = await startServer({ broker: { maxQueues: 3 } });
    const { raw } = await connected(ts, transport);
    for (const name of ['q1', 'q2']) {
      raw.send('SEND', { destination: `/queue/${name}`, receipt: name }, 'held'); // held: nobody consumes
      await raw.receipt(name);
    }
    raw.send('SUBSCRIBE', { id: 'q3', destination: '/queue/q3', receipt: 'q3' }); // n = 3: a consumer keeps it
    await raw.receipt('q3');
    raw.send('SEND', { destination: '/queue/q1', receipt: 'existing' }, 'more'); // existing queues still work
    await raw.receipt('existing');
    const bySend = await connected(ts, transport);
    bySend.raw.send('SEND', { destination: '/queue/q4', receipt: 'q4' }, 'x');
    const error = await bySend.raw.expectErrorThenClose();
    expect(error.headers['receipt-id']).toBe('q4');
    expect((await ts.sessionClosed(bySend.session))?.code).toBe('STOMP_LIMIT_EXCEEDED');
    const bySubscribe = await connected(ts, transport);
    bySubscribe.raw.send('SUBSCRIBE', { id: '1', destination: '/queue/q5', receipt: 'q5' });
    expect((await bySubscribe.raw.expectErrorThenClose()).headers.message).toMatch(/maxQueues 3/);
    // Consuming q2's only message drops q2: a new queue fits again.
    const consumer = await connectClient(ts, transport);
    const inbox = await consumer.subscribe('/queue/q2');
    expect((await inbox.next()).body).toBe('held');
    await consumer.unsubscribe(inbox);
    raw.send('SEND', { destination: '/queue/q6', receipt: 'q6' }, 'fits');
    await raw.receipt('q6');
    expect((ts.server.broker as unknown as { queueCount: number }).queueCount).toBe(3);
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

/** A TCP connection from `localAddress` (any 127.x.y.z is this machine): resolves with what the server first sent, and when it closed. */
function tcpFrom(ts: TestServer, localAddress: string): { socket: Socket; firstBytes: Promise<string>; closed: Promise<void> } {
  const socket = netConnect({ port: ts.tcpPort, host: '127.0.0.1', localAddress });
  onCleanup(() => socket.destroy());
  const first = deferred<string>();
  const closed = deferred<void>();
  let received = '';
  socket.on('data', (chunk: Buffer) => {
    received += chunk.toString();
    if (received.includes('\0')) first.resolve(received);
  });
  socket.on('error', () => undefined);
  socket.on('close', () => {
    first.resolve(received);
    closed.resolve();
  });
  return { socket, firstBytes: first.promise, closed: closed.promise };
}

/** A WebSocket handshake from `localAddress`: 'open' or the HTTP status. */
function wsFrom(ts: TestServer, localAddress: string): Promise<'open' | number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(ts.wsUrl, ['v12.stomp'], { localAddress });
    onCleanup(() => ws.terminate());
    ws.on('open', () => resolve('open'));
    ws.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
    ws.on('error', reject);
  });
}

async function connectFrom(ts: TestServer, localAddress: string): Promise<{ socket: Socket; reply: string }> {
  const connection = tcpFrom(ts, localAddress);
  connection.socket.write('CONNECT\naccept-version:1.2\n\n\0');
  return { socket: connection.socket, reply: await withTimeout(connection.firstBytes, 3_000, 'the first frame') };
}

describe('connection limits', () => {
  it.each([
    ['ws', 'tcp'],
    ['tcp', 'ws'],
  ] as const)('maxConnections 3 (filled over %s): the 3rd connects, the 4th is refused on both transports; a slot frees on close', async (fill, other) => {
    const ts = await startServer({ maxConnections: 3 });
    const refused: string[] = [];
    ts.server.on('connection-refused', (_address, error) => refused.push(error.code));
    const first = await RawClient.open(ts, fill);
    const firstSession = (await first.connect()).headers.session!;
    const second = await RawClient.open(ts, fill);
    await second.connect();
    const third = await RawClient.open(ts, other);
    await third.connect(); // n = 3: still accepted
    // n + 1: TCP gets an ERROR frame then the close, WebSocket an HTTP 503 before any STOMP.
    const tcp = tcpFrom(ts, '127.0.0.1');
    expect(await withTimeout(tcp.firstBytes, 3_000, 'ERROR')).toMatch(/^ERROR\n[^]*message:Too many connections \(maxConnections 3\)/);
    await tcp.closed;
    expect(await wsFrom(ts, '127.0.0.1')).toBe(503);
    expect(refused).toEqual(['STOMP_LIMIT_EXCEEDED', 'STOMP_LIMIT_EXCEEDED']);
    expect(ts.server.sessions.size).toBe(3);
    // The accepted ones are untouched; closing one makes room again.
    await third.sync();
    first.send('DISCONNECT', { receipt: 'bye' });
    await first.receipt('bye');
    await first.waitClosed();
    await ts.sessionClosed(firstSession);
    const again = await RawClient.open(ts, other);
    await again.connect();
  });

  it('maxConnectionsPerAddress 3: n−1, n accepted, n+1 refused; other addresses unaffected', async () => {
    const ts = await startServer({ maxConnectionsPerAddress: 3 });
    const accepted = [await connectFrom(ts, '127.0.0.1'), await connectFrom(ts, '127.0.0.1')];
    expect(accepted.map((c) => c.reply.split('\n')[0])).toEqual(['CONNECTED', 'CONNECTED']);
    expect((await connectFrom(ts, '127.0.0.1')).reply).toMatch(/^CONNECTED/); // n
    expect((await connectFrom(ts, '127.0.0.1')).reply).toMatch(/^ERROR\n[^]*maxConnectionsPerAddress 3/); // n + 1
    expect(await wsFrom(ts, '127.0.0.1')).toBe(503);
    // Another address has its own count.
    expect((await connectFrom(ts, '127.0.0.2')).reply).toMatch(/^CONNECTED/);
    expect(await wsFrom(ts, '127.0.0.2')).toBe('open');
  });

  it('a flood of 300 connections from one address: at most the limit become sessions, another address still gets in', async () => {
    const ts = await startServer({ maxConnectionsPerAddress: 10 });
    const bystander = await connectClient(ts, 'tcp');
    const inbox = await bystander.subscribe('/topic/alive');
    let refusedCount = 0;
    const allRefused = deferred<void>();
    ts.server.on('connection-refused', (address) => {
      expect(address).toMatch(/127\.0\.0\.3$/);
      if (++refusedCount === 290) allRefused.resolve();
    });
    const flood = Array.from({ length: 300 }, () => tcpFrom(ts, '127.0.0.3'));
    await withTimeout(allRefused.promise, 10_000, '290 refusals');
    const replies = await Promise.all(flood.map((c) => Promise.race([c.firstBytes, c.closed.then(() => 'closed')])).map((p) => withTimeout(p, 1_000, 'x').catch(() => 'silent')));
    // 290 got an ERROR and the close; the 10 accepted ones wait for their CONNECT (timeToFirstFrame).
    expect(replies.filter((r) => r.startsWith('ERROR') && r.includes('maxConnectionsPerAddress 10')).length).toBe(290);
    expect(replies.filter((r) => r === 'silent').length).toBe(10);
    expect(ts.server.sessions.size).toBe(11);
    expect((await connectFrom(ts, '127.0.0.4')).reply).toMatch(/^CONNECTED/);
    await connectClient(ts, 'tcp').then((c) => c.publish('/topic/alive', 'still serving'));
    expect((await inbox.next()).body).toBe('still serving');
    for (const c of flood) c.socket.destroy();
  }, 30_000);
});

describe.each(TRANSPORTS)('slowloris over %s', (transport) => {
  it('a connection that never sends its first frame is closed at timeToFirstFrame; others work meanwhile', async () => {
    const ts = await startServer({ timeToFirstFrame: 300 });
    const silent = await RawClient.open(ts, transport);
    const opened = Date.now();
    const worker = await connectClient(ts, transport);
    const inbox = await worker.subscribe('/topic/busy');
    await worker.publish('/topic/busy', 'working');
    expect((await inbox.next()).body).toBe('working');
    const error = await silent.expectErrorThenClose(3_000);
    expect(error.headers.message).toMatch(/No CONNECT frame within 300 ms/);
    expect(silent.closedAt! - opened).toBeGreaterThanOrEqual(250);
    expect(worker.isClosed).toBe(false);
  });

  it('a CONNECT dribbled a byte at a time never completes: closed at timeToFirstFrame all the same', async () => {
    const ts = await startServer({ timeToFirstFrame: 400 });
    const slow = await RawClient.open(ts, transport);
    const connect = 'CONNECT\naccept-version:1.2\nhost:x\n\n';
    let i = 0;
    const timer = setInterval(() => slow.write(connect[i++ % connect.length]!), 50);
    onCleanup(() => clearInterval(timer));
    const error = await slow.expectErrorThenClose(3_000);
    clearInterval(timer);
    expect(error.headers.message).toMatch(/No CONNECT frame within 400 ms/);
  });
});

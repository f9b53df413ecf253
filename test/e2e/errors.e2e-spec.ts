// Every protocol error: an ERROR frame with a `message` header (and `receipt-id` when the failing frame
// asked for a receipt), then the server closes the connection. Other sessions are not affected.
import { useCleanup } from '../support/cleanup.js';
import { RawClient, TRANSPORTS } from '../support/raw-client.js';
import { startServer, type TestServer } from '../support/test-server.js';

useCleanup();

interface ErrorCase {
  name: string;
  /** Bytes after CONNECTED (or instead of CONNECT when `connect` is false). */
  frames: string[];
  connect?: boolean;
  /** The receipt the failing frame carried: the ERROR must echo it. */
  receipt?: string;
  code: string;
}

const CASES: ErrorCase[] = [
  { name: 'malformed frame (header line without colon)', frames: ['SEND\ndestination:/topic/a\nnocolonhere\n\nbody\0'], code: 'STOMP_MALFORMED_FRAME' },
  { name: 'invalid escape (\\t in a 1.2 header)', frames: ['SEND\ndestination:/topic/a\nx-bad:a\\tb\n\n\0'], code: 'STOMP_INVALID_ESCAPE' },
  { name: 'unknown command', frames: ['FROBNICATE\nreceipt:r-unknown\n\n\0'], receipt: 'r-unknown', code: 'STOMP_UNKNOWN_COMMAND' },
  { name: 'lower-case command (commands are case-sensitive)', frames: ['send\ndestination:/topic/a\n\n\0'], code: 'STOMP_UNKNOWN_COMMAND' },
  { name: 'SEND without destination', frames: ['SEND\nreceipt:r-nodest\n\nhello\0'], receipt: 'r-nodest', code: 'STOMP_MISSING_HEADER' },
  { name: 'SUBSCRIBE without id (1.2)', frames: ['SUBSCRIBE\ndestination:/topic/a\nreceipt:r-noid\n\n\0'], receipt: 'r-noid', code: 'STOMP_MISSING_HEADER' },
  { name: 'SUBSCRIBE without destination', frames: ['SUBSCRIBE\nid:1\n\n\0'], code: 'STOMP_MISSING_HEADER' },
  {
    name: 'duplicate subscription id',
    frames: ['SUBSCRIBE\nid:dup\ndestination:/topic/a\n\n\0', 'SUBSCRIBE\nid:dup\ndestination:/topic/b\nreceipt:r-dup\n\n\0'],
    receipt: 'r-dup',
    code: 'STOMP_DUPLICATE_SUBSCRIPTION',
  },
  { name: 'UNSUBSCRIBE of an unknown id', frames: ['UNSUBSCRIBE\nid:ghost\nreceipt:r-unsub\n\n\0'], receipt: 'r-unsub', code: 'STOMP_UNKNOWN_SUBSCRIPTION' },
  { name: 'UNSUBSCRIBE without id (1.2)', frames: ['UNSUBSCRIBE\n\n\0'], code: 'STOMP_MISSING_HEADER' },
  { name: 'a frame before CONNECT', connect: false, frames: ['SEND\ndestination:/topic/a\nreceipt:r-early\n\nhi\0'], receipt: 'r-early', code: 'STOMP_NOT_CONNECTED' },
  { name: 'a body on SUBSCRIBE', frames: ['SUBSCRIBE\nid:1\ndestination:/topic/a\nreceipt:r-body\n\nnot allowed\0'], receipt: 'r-body', code: 'STOMP_BODY_NOT_ALLOWED' },
  { name: 'ACK of an unknown id', frames: ['ACK\nid:no-such-message\nreceipt:r-ack\n\n\0'], receipt: 'r-ack', code: 'STOMP_UNKNOWN_ACK' },
  { name: 'NACK of an unknown id', frames: ['NACK\nid:no-such-message\n\n\0'], code: 'STOMP_UNKNOWN_ACK' },
  { name: 'ACK without id', frames: ['ACK\nreceipt:r-ackid\n\n\0'], receipt: 'r-ackid', code: 'STOMP_MISSING_HEADER' },
  { name: 'a second CONNECT', frames: ['CONNECT\naccept-version:1.2\nreceipt:r-twice\n\n\0'], receipt: 'r-twice', code: 'STOMP_ALREADY_CONNECTED' },
  { name: 'SEND outside the broker prefixes (no handler)', frames: ['SEND\ndestination:/nowhere/x\nreceipt:r-nohandler\n\nx\0'], receipt: 'r-nohandler', code: 'STOMP_NO_HANDLER' },
  { name: 'SEND to /topicx (a prefix is a whole segment)', frames: ['SEND\ndestination:/topicx/a\n\nx\0'], code: 'STOMP_NO_HANDLER' },
  { name: 'SUBSCRIBE with a wildcard on a queue', frames: ['SUBSCRIBE\nid:1\ndestination:/queue/*\n\n\0'], code: 'STOMP_INVALID_HEADER' },
  { name: 'SUBSCRIBE outside the broker prefixes (no handler)', frames: ['SUBSCRIBE\nid:1\ndestination:/app/none\n\n\0'], code: 'STOMP_NO_HANDLER' },
  { name: 'an invalid ack mode', frames: ['SUBSCRIBE\nid:1\ndestination:/topic/a\nack:sometimes\n\n\0'], code: 'STOMP_INVALID_HEADER' },
];

describe.each(TRANSPORTS)('ERROR then close over %s', (transport) => {
  let ts: TestServer;
  beforeEach(async () => {
    ts = await startServer({ timeToFirstFrame: 200 });
  });

  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const bystander = await RawClient.open(ts, transport);
    await bystander.connect();
    const raw = await RawClient.open(ts, transport);
    const connected = c.connect === false ? undefined : await raw.connect();
    const closed = connected && ts.sessionClosed(connected.headers.session!);
    for (const frame of c.frames) raw.write(frame);
    const error = await raw.expectErrorThenClose();
    if (c.receipt !== undefined) expect(error.headers['receipt-id']).toBe(c.receipt);
    // No RECEIPT for the failing frame.
    expect(raw.frames.all.some((f) => f.command === 'RECEIPT' && f.headers['receipt-id'] === c.receipt)).toBe(false);
    if (closed) expect((await closed)?.code).toBe(c.code);
    // The other session is untouched.
    expect(bystander.isClosed).toBe(false);
    await bystander.sync();
  });

  it('no CONNECT within timeToFirstFrame (200 ms) → ERROR, then close', async () => {
    const raw = await RawClient.open(ts, transport);
    const start = Date.now();
    await raw.expectErrorThenClose(2_000);
    const elapsed = raw.closedAt! - start;
    expect(elapsed).toBeGreaterThanOrEqual(150);
    expect(elapsed).toBeLessThan(1_500);
  });

  it('slowloris (1 byte of CONNECT every 50 ms) is cut at the same deadline', async () => {
    const raw = await RawClient.open(ts, transport);
    const connect = Buffer.from('CONNECT\naccept-version:1.2\nhost:slow\n\n\0');
    let i = 0;
    const start = Date.now();
    const timer = setInterval(() => {
      if (i < connect.length && !raw.isClosed) raw.write(connect.subarray(i, ++i));
    }, 50);
    try {
      await raw.expectErrorThenClose(2_000);
    } finally {
      clearInterval(timer);
    }
    const elapsed = raw.closedAt! - start;
    // The whole frame would take ~2 s to arrive: the deadline (200 ms) must win.
    expect(elapsed).toBeLessThan(1_500);
    expect(i).toBeLessThan(connect.length);
    expect(raw.frames.all.some((f) => f.command === 'CONNECTED')).toBe(false);
  });

  it('heart-beat EOLs alone do not count as the first frame', async () => {
    const raw = await RawClient.open(ts, transport);
    const timer = setInterval(() => raw.write('\n'), 40);
    try {
      await raw.expectErrorThenClose(2_000);
    } finally {
      clearInterval(timer);
    }
  });

  it('1.1 session: \\r is an invalid escape (1.2 only)', async () => {
    const raw = await RawClient.open(ts, transport);
    await raw.connect({ 'accept-version': '1.1' });
    raw.write('SEND\ndestination:/topic/a\nx:a\\rb\n\n\0');
    await raw.expectErrorThenClose();
  });

  it('1.0 session: backslashes are not escapes', async () => {
    const raw = await RawClient.open(ts, transport);
    await raw.connect({});
    raw.write('SUBSCRIBE\ndestination:/topic/v10\nid:s\nreceipt:sub\n\n\0');
    await raw.receipt('sub');
    raw.write('SEND\ndestination:/topic/v10\nx:a\\tb\n\nbody\0');
    const message = await raw.waitFor((f) => f.command === 'MESSAGE');
    expect(message.headers.x).toBe('a\\tb');
  });
});

// Robustness: random garbage over raw TCP never crashes the server; every such connection ends with
// ERROR then close; sessions that behave are not affected. Abrupt disconnects mid-frame.
import fc from 'fast-check';
import { useCleanup } from '../support/cleanup.js';
import { RawClient, TRANSPORTS, type Transport } from '../support/raw-client.js';
import { connectClient } from '../support/stomp-client.js';
import { startServer, type TestServer } from '../support/test-server.js';

useCleanup();

// CONNECT/STOMP/DISCONNECT themselves are left out (a valid one would legitimately not end in ERROR);
// near misses stay in.
const COMMANDS = ['CONNECTX', 'connect', 'STOMP ', 'SEND', 'SUBSCRIBE', 'UNSUBSCRIBE', 'ACK', 'NACK', 'BEGIN', 'COMMIT', 'ABORT', 'DISCONNEC', 'MESSAGE', 'X', ''];

/** Random bytes, and frame-shaped garbage (real commands, odd headers, escapes, NULs, CRs). */
const garbage: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.uint8Array({ minLength: 1, maxLength: 600 }),
  fc
    .tuple(
      fc.constantFrom(...COMMANDS),
      fc.array(fc.tuple(fc.string({ maxLength: 20 }), fc.string({ unit: 'binary', maxLength: 40 })), { maxLength: 8 }),
      fc.constantFrom('\n', '\r\n', '\r', ''),
      fc.string({ unit: 'binary', maxLength: 100 }),
      fc.constantFrom('\0', '', '\0\0', '\n\0'),
    )
    .map(([command, headers, eol, body, end]) =>
      Buffer.from(`${command}${eol}${headers.map(([k, v]) => `${k}:${v}`).join(eol)}${eol}${eol}${body}${end}`),
    ),
  fc.string({ unit: 'binary', maxLength: 300 }).map((s) => Buffer.from(s)),
);

/**
 * One payload on a fresh connection, with or without a CONNECT first. Ends with ERROR then close:
 * garbage is rejected at once, an incomplete frame by timeToFirstFrame (before CONNECT) or by the
 * heart-beat read timeout (after CONNECT heart-beat:100,0).
 */
async function throwGarbage(ts: TestServer, payload: Uint8Array, connectFirst: boolean): Promise<void> {
  const raw = await RawClient.open(ts, 'tcp');
  if (connectFirst) await raw.connect({ 'accept-version': '1.2', 'heart-beat': '100,0' });
  raw.write(Buffer.from(payload));
  // A payload may hold several valid frames (even SENDs, RECEIPTs); what matters is how it ends.
  const error = await raw.waitFor((f) => f.command === 'ERROR' || f.command === '__UNPARSEABLE__', 5_000, 'ERROR');
  if (error.command !== 'ERROR') throw new Error(`unparseable server output: ${error.headers.message}`);
  if (!error.headers.message) throw new Error('ERROR without message header');
  await raw.waitClosed(5_000);
}

describe('random garbage over raw TCP', () => {
  it('200 payloads: each ends with ERROR then close; the server and other sessions go on', async () => {
    const ts = await startServer({ timeToFirstFrame: 300, heartbeat: [0, 100], heartbeatTolerance: 2 });
    const bystander = await connectClient(ts, 'ws');
    const inbox = await bystander.subscribe('/topic/bystander');
    const producer = await connectClient(ts, 'tcp');
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(garbage, fc.boolean()), { minLength: 20, maxLength: 20 }), async (batch) => {
        // 20 connections at a time keep the run short; 10 runs → 200 payloads.
        await Promise.all(batch.map(([payload, connectFirst]) => throwGarbage(ts, payload, connectFirst)));
        runs++;
        await producer.publish('/topic/bystander', `alive-${runs}`);
        expect((await inbox.next()).body).toBe(`alive-${runs}`);
      }),
      { numRuns: 10, endOnFailure: true },
    );
    expect(runs).toBe(10);
    expect(bystander.isClosed).toBe(false);
    // Only the two good sessions are left.
    expect([...ts.server.sessions.keys()].sort()).toEqual(
      [bystander.connectedFrame.headers.session, producer.connectedFrame.headers.session].sort(),
    );
  }, 60_000);
});

describe.each(TRANSPORTS)('abrupt disconnects over %s', (transport: Transport) => {
  it('a socket destroyed mid-frame: the server keeps serving others', async () => {
    const ts = await startServer();
    const other = await connectClient(ts, transport);
    const inbox = await other.subscribe('/topic/alive');
    const raw = await RawClient.open(ts, transport);
    const connected = await raw.connect();
    raw.write('SEND\ndestination:/topic/alive\ncontent-length:1000\n\nonly a part of the bo');
    raw.destroy();
    expect(await ts.sessionClosed(connected.headers.session!)).toBeUndefined();
    await other.publish('/topic/alive', 'still here');
    expect((await inbox.next()).body).toBe('still here');
    // The half frame was never delivered.
    expect(inbox.bodies).toEqual(['still here']);
  });

  it('session-closed fires exactly once per session, however it ends', async () => {
    const ts = await startServer({ timeToFirstFrame: 200 });
    const ids: string[] = [];
    const closers: Array<(raw: RawClient) => Promise<void> | void> = [
      (raw) => raw.destroy(),
      async (raw) => {
        raw.send('DISCONNECT', { receipt: 'bye' });
        await raw.receipt('bye');
      },
      async (raw) => {
        raw.write('GARBAGE\n\n\0');
        await raw.waitClosed();
      },
      async (raw) => {
        raw.write('SEND\ndestination:/topic/x\n\nunterminated');
        raw.destroy();
      },
      async (raw) => {
        raw.send('DISCONNECT');
        raw.destroy();
      },
    ];
    for (const close of closers) {
      const raw = await RawClient.open(ts, transport);
      const connected = await raw.connect();
      ids.push(connected.headers.session!);
      await close(raw);
      await ts.sessionClosed(connected.headers.session!);
    }
    // A connection that never sent CONNECT is a session too.
    const before = ts.closedEvents.length;
    const closedSilent = new Promise<void>((resolve) => {
      const check = () => {
        if (ts.closedEvents.length > before) {
          ts.server.off('session-closed', check);
          resolve();
        }
      };
      ts.server.on('session-closed', check);
    });
    const silent = await RawClient.open(ts, transport);
    await silent.waitClosed();
    await closedSilent;
    // Let any duplicate event surface: one more full round trip through the server.
    const probe = await connectClient(ts, transport);
    await probe.sync();
    for (const id of ids) expect(ts.closedEvents.filter((e) => e.session.id === id)).toHaveLength(1);
    const counts = new Map<string, number>();
    for (const e of ts.closedEvents) counts.set(e.session.id, (counts.get(e.session.id) ?? 0) + 1);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(counts.size).toBe(ids.length + 1);
  });
});

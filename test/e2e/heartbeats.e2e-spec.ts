// STOMP 1.1 heart-beating: the server sends EOLs when asked, closes silent clients, stays quiet at 0,0.
// Heart-beats are about time, so these tests measure bounded windows (with generous bounds).
import { useCleanup } from '../support/cleanup.js';
import { RawClient, TRANSPORTS } from '../support/raw-client.js';
import { connectClient } from '../support/stomp-client.js';
import { startServer, type TestServer } from '../support/test-server.js';
import { delay } from '../support/wait.js';

useCleanup();

const BEAT = 100;
// The stompjs "not dropped" test proves the absence of a timeout on both sides: at 100 ms a busy
// machine's event-loop stall alone can exceed stompjs's own tolerance, so it beats slower.
const SLOW_BEAT = 400;

describe.each(TRANSPORTS)('heart-beats over %s', (transport) => {
  let ts: TestServer;
  beforeEach(async () => {
    ts = await startServer({ heartbeat: [BEAT, BEAT], heartbeatTolerance: 2 });
  });

  it('client asks 0,100: the server sends an EOL at least every ~100 ms', async () => {
    const raw = await RawClient.open(ts, transport);
    const connected = await raw.connect({ 'accept-version': '1.2', 'heart-beat': `0,${BEAT}` });
    expect(connected.headers['heart-beat']).toBe(`${BEAT},${BEAT}`);
    const window = 1_200;
    const start = Date.now();
    await delay(window);
    const beats = raw.parser.eols.filter((t) => t >= start);
    // Every 100 ms → ~12 in the window. Fewer than 8 means the server beats too slowly
    // (e.g. every 200 ms); more than 30 means it floods.
    expect(beats.length).toBeGreaterThanOrEqual(8);
    expect(beats.length).toBeLessThanOrEqual(30);
    expect(raw.isClosed).toBe(false);
  });

  it('client asks 0,300: the server beats at max(sx, cy) = 300 ms, not faster', async () => {
    const raw = await RawClient.open(ts, transport);
    await raw.connect({ 'accept-version': '1.2', 'heart-beat': '0,300' });
    const start = Date.now();
    await delay(1_300);
    const beats = raw.parser.eols.filter((t) => t >= start).length;
    expect(beats).toBeGreaterThanOrEqual(3);
    expect(beats).toBeLessThanOrEqual(8);
  });

  it('client promises 100,0 then goes silent: closed after about 100 × tolerance', async () => {
    const raw = await RawClient.open(ts, transport);
    const connected = await raw.connect({ 'accept-version': '1.2', 'heart-beat': `${BEAT},0` });
    const start = Date.now();
    const error = await raw.expectErrorThenClose(3_000);
    const elapsed = raw.closedAt! - start;
    // Tolerance 2 → silent for more than 200 ms; checked every 100 ms → closed within ~300 ms.
    expect(elapsed).toBeGreaterThanOrEqual(2 * BEAT - 20);
    expect(elapsed).toBeLessThan(1_500);
    expect(error.headers.message).toMatch(/heart-?beat/i);
    const reason = await ts.sessionClosed(connected.headers.session!);
    expect(reason?.code).toBe('STOMP_HEARTBEAT_TIMEOUT');
  });

  it('a client that keeps beating stays connected', async () => {
    // Client and server share this process: a pause of the whole process (a loaded CI machine)
    // stops the client's beats too, so this server allows 5 × 100 ms. A server that ignored the
    // beats would close it at about 500 ms, well inside the 1.2 s watched.
    const patient = await startServer({ heartbeat: [BEAT, BEAT], heartbeatTolerance: 5 });
    const raw = await RawClient.open(patient, transport);
    await raw.connect({ 'accept-version': '1.2', 'heart-beat': `${BEAT},0` });
    const timer = setInterval(() => raw.write('\n'), BEAT / 2);
    try {
      await delay(12 * BEAT);
      expect(raw.isClosed).toBe(false);
      await raw.sync();
    } finally {
      clearInterval(timer);
    }
  });

  it('a stall of the process longer than the tolerance does not close a client whose beat arrived during it', async () => {
    const raw = await RawClient.open(ts, transport);
    await raw.connect({ 'accept-version': '1.2', 'heart-beat': `${BEAT},0` });
    // The beat reaches the server's socket, then the whole process (server included) blocks for
    // three times the 200 ms limit: the silence check runs before the beat is read.
    await new Promise<void>((resolve) =>
      setTimeout(() => {
        raw.write('\n');
        const until = Date.now() + 6 * BEAT;
        while (Date.now() < until);
        resolve();
      }, BEAT / 2),
    );
    // At once (no further beats: this process may be paused again on a loaded machine): a
    // server that decided before reading has already sent its ERROR and closed.
    await raw.sync();
    expect(raw.isClosed).toBe(false);
  });

  it('sessions with the same heart-beats share the server\'s timers, which stop when they leave', async () => {
    const clients = [];
    for (let i = 0; i < 3; i++) {
      const raw = await RawClient.open(ts, transport);
      await raw.connect({ 'accept-version': '1.2', 'heart-beat': `${BEAT},${BEAT}` });
      clients.push(raw);
    }
    // One interval to beat every 100 ms and one to expect beats every 100 ms: not two per session.
    expect(ts.server.heartbeatScheduler.timerCount).toBe(2);
    for (const raw of clients) {
      raw.send('DISCONNECT', { receipt: 'bye' });
      await raw.receipt('bye');
      await raw.waitClosed();
    }
    expect(ts.server.heartbeatScheduler.timerCount).toBe(0);
  });

  it('heart-beat 0,0: no EOLs and no timeout', async () => {
    const raw = await RawClient.open(ts, transport);
    await raw.connect({ 'accept-version': '1.2', 'heart-beat': '0,0' });
    await delay(6 * BEAT);
    await raw.sync();
    expect(raw.parser.eols).toHaveLength(0);
    expect(raw.isClosed).toBe(false);
  });

  it('no heart-beat header means 0,0', async () => {
    const raw = await RawClient.open(ts, transport);
    await raw.connect({ 'accept-version': '1.2' });
    await delay(6 * BEAT);
    await raw.sync();
    expect(raw.parser.eols).toHaveLength(0);
  });

  it('stompjs with heart-beats 400,400 is not dropped by either side', async () => {
    const slow = await startServer({ heartbeat: [SLOW_BEAT, SLOW_BEAT], heartbeatTolerance: 2 });
    const client = await connectClient(slow, transport, { heartbeat: [SLOW_BEAT, SLOW_BEAT] });
    let lost = 0;
    client.client.onHeartbeatLost = () => lost++;
    await delay(6 * SLOW_BEAT);
    expect(lost).toBe(0);
    expect(client.isClosed).toBe(false);
    await client.sync();
  });
});

describe('heart-beats disabled on the server', () => {
  it('server heartbeat 0,0: a client asking for beats gets none and is never timed out', async () => {
    const ts = await startServer({ heartbeat: [0, 0], heartbeatTolerance: 2 });
    const raw = await RawClient.open(ts, 'tcp');
    const connected = await raw.connect({ 'accept-version': '1.2', 'heart-beat': `${BEAT},${BEAT}` });
    expect(connected.headers['heart-beat']).toBe('0,0');
    await delay(6 * BEAT);
    await raw.sync();
    expect(raw.parser.eols).toHaveLength(0);
    expect(raw.isClosed).toBe(false);
  });

  it('an invalid heart-beat header → ERROR, then close', async () => {
    const ts = await startServer();
    const raw = await RawClient.open(ts, 'tcp');
    raw.send('CONNECT', { 'accept-version': '1.2', 'heart-beat': 'fast,slow' });
    await raw.expectErrorThenClose();
  });
});

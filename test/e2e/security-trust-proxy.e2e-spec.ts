// Behind a reverse proxy (endpoint option `trustProxy`): the WebSocket endpoint takes the client's
// address from X-Forwarded-For when, and only when, the hop in front is trusted; that address is the
// session's remoteAddress, what maxConnectionsPerAddress counts and what connection-refused names.
// Real sockets: the "proxy" and the "clients" are WebSocket connections from distinct loopback
// addresses (127.0.0.x), the header is what a proxy would have written.
import { connect as netConnect } from 'node:net';
import WebSocket from 'ws';
import type { StompSession } from '@nest-stomp/core';
import { onCleanup, useCleanup } from '../support/cleanup.js';
import { STOMP_WS_PROTOCOLS } from '../support/raw-client.js';
import { startServer, type TestServer } from '../support/test-server.js';
import { withTimeout } from '../support/wait.js';

useCleanup();

const PROXY = '127.0.0.5';
const DIRECT = '127.0.0.6';

interface Handshake {
  /** 'open', or the HTTP status of a refused handshake. */
  outcome: 'open' | number;
  ws: WebSocket;
}

/** A WebSocket from `from` carrying `forwardedFor` (when given) as X-Forwarded-For; stays open. */
function open(ts: TestServer, from: string, forwardedFor?: string): Promise<Handshake> {
  const headers = forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor };
  const ws = new WebSocket(ts.wsUrl, STOMP_WS_PROTOCOLS, { localAddress: from, headers });
  onCleanup(() => ws.terminate());
  return withTimeout(
    new Promise((resolve, reject) => {
      ws.on('open', () => resolve({ outcome: 'open', ws }));
      ws.on('unexpected-response', (_request, response) => resolve({ outcome: response.statusCode ?? 0, ws }));
      ws.on('error', reject);
    }),
    3_000,
    `the handshake from ${from}`,
  );
}

/** Opens, CONNECTs and returns the server-side session. */
async function session(ts: TestServer, from: string, forwardedFor?: string): Promise<StompSession> {
  const next = ts.nextSession();
  const { outcome, ws } = await open(ts, from, forwardedFor);
  expect(outcome).toBe('open');
  ws.send('CONNECT\naccept-version:1.2\n\n\0');
  return next;
}

describe('trustProxy on the WebSocket endpoint', () => {
  it('off (default): X-Forwarded-For is ignored, so a client cannot spoof its way around maxConnectionsPerAddress', async () => {
    const ts = await startServer({ maxConnectionsPerAddress: 2 });
    const refused: Array<string | undefined> = [];
    ts.server.on('connection-refused', (address) => refused.push(address));
    expect((await session(ts, DIRECT, '203.0.113.1')).remoteAddress).toBe(DIRECT);
    expect((await session(ts, DIRECT, '203.0.113.2')).remoteAddress).toBe(DIRECT);
    expect((await open(ts, DIRECT, '203.0.113.3')).outcome).toBe(503);
    expect(refused).toEqual([DIRECT]);
  });

  it('a list of proxies: the limit counts per forwarded address; the count frees when a session closes', async () => {
    const ts = await startServer({ maxConnectionsPerAddress: 2 }, { trustProxy: [PROXY] });
    const refused: Array<string | undefined> = [];
    ts.server.on('connection-refused', (address) => refused.push(address));
    const first = await session(ts, PROXY, '203.0.113.7');
    expect(first.remoteAddress).toBe('203.0.113.7');
    // What the client wrote left of the proxy's entry is not read.
    expect((await session(ts, PROXY, 'forged, 203.0.113.7')).remoteAddress).toBe('203.0.113.7');
    expect((await open(ts, PROXY, '203.0.113.7')).outcome).toBe(503);
    expect(refused).toEqual(['203.0.113.7']);
    // Other users behind the same proxy have their own count: the proxy's address is not one bucket.
    expect((await session(ts, PROXY, '203.0.113.8')).remoteAddress).toBe('203.0.113.8');
    expect((await session(ts, PROXY, '203.0.113.9')).remoteAddress).toBe('203.0.113.9');
    expect(ts.server.sessions.size).toBe(4);
    // The count is released under the same (forwarded) address it was taken under.
    first.connection.destroy();
    await ts.sessionClosed(first.id);
    expect((await session(ts, PROXY, '203.0.113.7')).remoteAddress).toBe('203.0.113.7');
  });

  it('a list of proxies: a peer not in the list is counted by its socket address, header or not', async () => {
    const ts = await startServer({ maxConnectionsPerAddress: 1 }, { trustProxy: [PROXY] });
    expect((await session(ts, DIRECT, '203.0.113.7')).remoteAddress).toBe(DIRECT);
    expect((await open(ts, DIRECT, '203.0.113.8')).outcome).toBe(503);
  });

  it('a hop count: the n-th entry from the right; fewer entries than hops count as the socket address', async () => {
    const ts = await startServer({}, { trustProxy: 2 });
    expect((await session(ts, PROXY, 'forged, 203.0.113.7, 10.0.0.2')).remoteAddress).toBe('203.0.113.7');
    expect((await session(ts, PROXY, '203.0.113.7')).remoteAddress).toBe(PROXY);
  });

  it('malformed headers fall back to the socket address (and count against it)', async () => {
    const ts = await startServer({ maxConnectionsPerAddress: 3 }, { trustProxy: 1 });
    for (const header of ['not-an-address', '203.0.113.7, garbage', ' ']) {
      expect([header, (await session(ts, PROXY, header)).remoteAddress]).toEqual([header, PROXY]);
    }
    expect((await open(ts, PROXY, 'still garbage')).outcome).toBe(503);
    expect((await session(ts, PROXY, '203.0.113.7')).remoteAddress).toBe('203.0.113.7');
  });

  it('TCP has no headers: counted by the socket address, whatever the WebSocket endpoint trusts', async () => {
    const ts = await startServer({ maxConnectionsPerAddress: 1 }, { trustProxy: 1 });
    expect((await session(ts, PROXY, '203.0.113.7')).remoteAddress).toBe('203.0.113.7');
    // The proxy's own address has no connection yet: one TCP connection from it is accepted...
    const tcpSession = ts.nextSession();
    const tcp = netConnect({ port: ts.tcpPort, host: '127.0.0.1', localAddress: PROXY });
    onCleanup(() => tcp.destroy());
    tcp.write('CONNECT\naccept-version:1.2\n\n\0');
    expect((await tcpSession).remoteAddress).toBe(PROXY);
    // ...the next one is over the limit.
    const second = netConnect({ port: ts.tcpPort, host: '127.0.0.1', localAddress: PROXY });
    onCleanup(() => second.destroy());
    second.write('CONNECT\naccept-version:1.2\n\n\0');
    const reply = await withTimeout(new Promise<string>((resolve) => second.once('data', (data) => resolve(String(data)))), 3_000, 'ERROR');
    expect(reply).toMatch(/^ERROR\n[^]*maxConnectionsPerAddress 1/);
  });

  it('an invalid trustProxy fails when the endpoint is attached, leaving the HTTP server untouched', async () => {
    const ts = await startServer();
    const listeners = ts.http.listeners('upgrade').length;
    expect(() => ts.server.attachWebSocket({ server: ts.http, path: '/other', trustProxy: ['proxy.internal'] })).toThrow(
      /not an IP address/,
    );
    expect(ts.http.listeners('upgrade').length).toBe(listeners);
    expect((await session(ts, DIRECT)).remoteAddress).toBe(DIRECT);
  });
});

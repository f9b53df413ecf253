// Module options of the transport safety: endpoint.allowedOrigins (403 before any STOMP), the
// connection limits and csrf, passed through to the core.
import { Injectable } from '@nestjs/common';
import { useCleanup } from '../../../../test/support/cleanup.js';
import { readCookie } from '@nest-stomp/core';
import { OnStompEvent, SessionConnectedEvent } from '../../src/index.js';
import { bootSecurityApp, handshake } from './security-test-app.js';

/** The address each session-connected event reported, in order. */
@Injectable()
class ConnectedAddresses {
  readonly seen: Array<string | undefined> = [];

  @OnStompEvent('session-connected')
  connected(event: SessionConnectedEvent): void {
    this.seen.push(event.remoteAddress);
  }
}

useCleanup();

describe('StompModule transport safety options', () => {
  it('default: same origin only; a foreign Origin gets 403; non-browser clients (no Origin) connect', async () => {
    const ts = await bootSecurityApp({ stomp: {} });
    const port = new URL(ts.wsUrl).port;
    expect(await handshake(ts.wsUrl, { origin: `http://127.0.0.1:${port}` })).toBe('open');
    expect(await handshake(ts.wsUrl, { origin: 'https://evil.example' })).toBe(403);
    expect(await handshake(ts.wsUrl, {})).toBe('open');
  });

  it('endpoint.allowedOrigins: listed and patterned origins only', async () => {
    const ts = await bootSecurityApp({ stomp: { endpoint: { path: '/ws', allowedOrigins: ['https://*.example.com'] } } });
    expect(await handshake(ts.wsUrl, { origin: 'https://chat.example.com' })).toBe('open');
    expect(await handshake(ts.wsUrl, { origin: `http://127.0.0.1:${new URL(ts.wsUrl).port}` })).toBe(403);
  });

  it('bad origins fail at boot', async () => {
    await expect(bootSecurityApp({ stomp: { endpoint: { allowedOrigins: 'https://a.example' as unknown as string[] } } })).rejects.toThrow(
      /allowedOrigins/,
    );
  });

  it('maxConnections: the next WebSocket gets HTTP 503, the next TCP connection an ERROR', async () => {
    const ts = await bootSecurityApp({ stomp: { maxConnections: 2 } });
    await ts.connect('ws');
    await ts.connect('tcp');
    expect(await handshake(ts.wsUrl, {})).toBe(503);
    const raw = await ts.raw('tcp');
    const error = await raw.expectErrorThenClose();
    expect(error.headers.message).toMatch(/Too many connections/);
  });

  it('endpoint.trustProxy: sessions and events carry the forwarded address, the per-address limit counts it', async () => {
    const ts = await bootSecurityApp({
      stomp: { endpoint: { path: '/ws', trustProxy: ['127.0.0.1'] }, maxConnectionsPerAddress: 1 },
      providers: [ConnectedAddresses],
    });
    const forwarded = (address: string) => ({ headers: { 'x-forwarded-for': address } });
    await ts.connect('ws', {}, forwarded('203.0.113.7'));
    await ts.connect('ws', {}, forwarded('203.0.113.8'));
    expect(ts.app.get(ConnectedAddresses).seen).toEqual(['203.0.113.7', '203.0.113.8']);
    expect([...ts.server.sessions.values()].map((s) => s.remoteAddress)).toEqual(['203.0.113.7', '203.0.113.8']);
    expect(await handshake(ts.wsUrl, { 'x-forwarded-for': '203.0.113.7' })).toBe(503);
    // TCP is counted by its socket address (127.0.0.1 has no connection of its own yet).
    await ts.connect('tcp');
  });

  it('endpoint.trustProxy without the option: the header is ignored, the proxy address is the one bucket', async () => {
    const ts = await bootSecurityApp({ stomp: { maxConnectionsPerAddress: 1 }, providers: [ConnectedAddresses] });
    await ts.connect('ws', {}, { headers: { 'x-forwarded-for': '203.0.113.7' } });
    expect(ts.app.get(ConnectedAddresses).seen).toEqual(['127.0.0.1']);
    expect(await handshake(ts.wsUrl, { 'x-forwarded-for': '203.0.113.8' })).toBe(503);
  });

  it('an invalid endpoint.trustProxy fails at module setup', async () => {
    await expect(bootSecurityApp({ stomp: { endpoint: { trustProxy: true as unknown as number } } })).rejects.toThrow(
      /endpoint\.trustProxy must be .*true is not accepted/,
    );
  });

  it('csrf: a cookie-carrying WebSocket CONNECT needs the X-XSRF-TOKEN header', async () => {
    const ts = await bootSecurityApp({ stomp: { csrf: true } });
    const client = await ts.connect('ws', { 'X-XSRF-TOKEN': 't0k3n' }, { headers: { cookie: 'XSRF-TOKEN=t0k3n; sid=1' } });
    expect(client.client.connected).toBe(true);
    await expect(ts.connect('ws', { 'X-XSRF-TOKEN': 'forged' }, { headers: { cookie: 'XSRF-TOKEN=t0k3n' } })).rejects.toThrow(
      /Invalid CSRF token/,
    );
    expect(readCookie('a=1; XSRF-TOKEN=t0k3n', 'XSRF-TOKEN')).toBe('t0k3n');
  });
});

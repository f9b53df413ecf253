// Module options of the transport safety: endpoint.allowedOrigins (403 before any STOMP), the
// connection limits and csrf, passed through to the core.
import { useCleanup } from '../../../../test/support/cleanup.js';
import { readCookie } from '@nest-stomp/core';
import { bootSecurityApp, handshake } from './security-test-app.js';

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

// Allowed origins on the WebSocket endpoint: a refused origin gets HTTP 403 before any STOMP;
// default same origin as the Host; lists, `*` patterns, '*'; no Origin (non-browser) allowed.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';
import { StompServer } from '@nest-stomp/core';
import { onCleanup, useCleanup } from '../support/cleanup.js';
import { STOMP_WS_PROTOCOLS } from '../support/raw-client.js';

useCleanup();

async function endpoint(allowedOrigins?: string[]): Promise<{ url: string; port: number; server: StompServer }> {
  const server = new StompServer({ heartbeat: [0, 0] });
  const http = createServer();
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  // Registered before attachWebSocket: when it throws (an invalid origin), the listening http
  // server must still be closed, or it keeps the jest worker alive after the file.
  onCleanup(async () => {
    await server.close();
    http.closeAllConnections();
    await new Promise((resolve) => http.close(resolve));
  }, 'server');
  server.attachWebSocket({ server: http, path: '/ws', allowedOrigins });
  const port = (http.address() as AddressInfo).port;
  return { url: `ws://127.0.0.1:${port}/ws`, port, server };
}

/** 'open' and a CONNECTED over the socket, or the HTTP status of the refused handshake. */
function handshake(url: string, headers: Record<string, string>): Promise<'connected' | number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, STOMP_WS_PROTOCOLS, { headers });
    onCleanup(() => ws.terminate());
    ws.on('open', () => ws.send('CONNECT\naccept-version:1.2\n\n\0'));
    ws.on('message', (data: Buffer) => {
      if (data.toString().startsWith('CONNECTED')) resolve('connected');
    });
    ws.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
    ws.on('error', reject);
  });
}

describe('allowed origins', () => {
  it('default: same origin as the Host header; a foreign origin gets 403; no Origin is allowed', async () => {
    const { url, port, server } = await endpoint();
    expect(await handshake(url, { origin: `http://127.0.0.1:${port}` })).toBe('connected');
    expect(await handshake(url, { origin: `http://localhost:${port}`, host: `localhost:${port}` })).toBe('connected');
    expect(await handshake(url, { origin: `https://127.0.0.1:${port}` })).toBe('connected'); // scheme may differ behind TLS termination
    expect(await handshake(url, { origin: 'https://evil.example' })).toBe(403);
    expect(await handshake(url, { origin: `http://127.0.0.1:${port + 1}` })).toBe(403);
    expect(await handshake(url, { origin: 'null' })).toBe(403);
    expect(await handshake(url, {})).toBe('connected'); // ws sends no Origin: a non-browser client
    expect(server.sessions.size).toBe(4); // the refused ones never became sessions
  });

  it('default ports: Origin https://app.example matches Host app.example:443', async () => {
    const { url } = await endpoint();
    expect(await handshake(url, { origin: 'https://app.example', host: 'app.example:443' })).toBe('connected');
    expect(await handshake(url, { origin: 'https://app.example', host: 'app.example:8443' })).toBe(403);
  });

  it('a list: exact origins and * patterns; everything else 403', async () => {
    const { url } = await endpoint(['https://app.example', 'https://*.example.com', 'http://localhost:*']);
    for (const origin of ['https://app.example', 'https://APP.example', 'https://a.example.com', 'https://a.b.example.com', 'http://localhost:4200', 'http://localhost']) {
      expect([origin, await handshake(url, { origin })]).toEqual([origin, 'connected']);
    }
    for (const origin of [
      'http://app.example',
      'https://app.example:8443',
      'https://example.com',
      'https://evilexample.com',
      'https://example.com.evil.net',
      'https://a.example.com:444',
      'http://localhost.evil.net',
      'null',
      'not a url',
    ]) {
      expect([origin, await handshake(url, { origin })]).toEqual([origin, 403]);
    }
  });

  it("'*' allows every origin; 'null' may be listed explicitly", async () => {
    const any = await endpoint(['*']);
    expect(await handshake(any.url, { origin: 'https://anything.example' })).toBe('connected');
    const opaque = await endpoint(['null']);
    expect(await handshake(opaque.url, { origin: 'null' })).toBe('connected');
    expect(await handshake(opaque.url, { origin: 'https://a.example' })).toBe(403);
  });

  it('an invalid entry fails when the endpoint is attached', async () => {
    await expect(endpoint(['app.example'])).rejects.toThrow(/not an origin/);
  });
});

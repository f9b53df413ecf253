// Optional CSRF check on CONNECT (server option `csrf`) for browser sessions that authenticate with
// cookies: the double-submit cookie by default, or a verify function. Refusal: ERROR + close.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';
import { StompServer, type StompServerInit } from '@nest-stomp/core';
import { onCleanup, useCleanup } from '../support/cleanup.js';
import { RawClient, STOMP_WS_PROTOCOLS } from '../support/raw-client.js';
import type { TestServer } from '../support/test-server.js';

useCleanup();

async function serve(init: StompServerInit): Promise<{ url: string; tcp: TestServer; server: StompServer }> {
  const server = new StompServer({ heartbeat: [0, 0], authenticate: ({ upgradeRequest }) => (upgradeRequest?.headers.cookie?.includes('sid=') ? { name: 'cookie-user' } : undefined), ...init });
  const http = createServer();
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  server.attachWebSocket({ server: http, path: '/ws' });
  const tcp = await server.listenTcp({ port: 0 });
  onCleanup(async () => {
    await server.close();
    http.closeAllConnections();
    await new Promise((resolve) => http.close(resolve));
  }, 'server');
  return { url: `ws://127.0.0.1:${(http.address() as AddressInfo).port}/ws`, tcp: { tcpPort: tcp.port } as TestServer, server };
}

/** CONNECT over a WebSocket whose handshake carried `cookie`: the first frame's command and message. */
function connectWith(url: string, cookie: string | undefined, headers: Record<string, string>): Promise<{ command: string; message?: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, STOMP_WS_PROTOCOLS, { headers: cookie === undefined ? {} : { cookie } });
    onCleanup(() => ws.terminate());
    ws.on('open', () => {
      const lines = Object.entries(headers).map(([name, value]) => `${name}:${value}\n`).join('');
      ws.send(`CONNECT\naccept-version:1.2\n${lines}\n\0`);
    });
    ws.on('message', (data: Buffer) => {
      const text = data.toString();
      resolve({ command: text.slice(0, text.indexOf('\n')), message: /\nmessage:([^\n]*)/.exec(text)?.[1] });
    });
    ws.on('error', reject);
  });
}

describe('csrf on CONNECT', () => {
  it('default double-submit: the X-XSRF-TOKEN header must equal the XSRF-TOKEN cookie', async () => {
    const { url } = await serve({ csrf: true });
    expect(await connectWith(url, 'sid=1; XSRF-TOKEN=abc123', { 'X-XSRF-TOKEN': 'abc123' })).toEqual({ command: 'CONNECTED', message: undefined });
    expect(await connectWith(url, 'sid=1; XSRF-TOKEN=abc123', { 'X-XSRF-TOKEN': 'abc124' })).toEqual({ command: 'ERROR', message: 'Invalid CSRF token' });
    expect(await connectWith(url, 'sid=1; XSRF-TOKEN=abc123', {})).toEqual({ command: 'ERROR', message: 'Invalid CSRF token' });
    expect(await connectWith(url, 'sid=1', { 'X-XSRF-TOKEN': 'anything' })).toEqual({ command: 'ERROR', message: 'Invalid CSRF token' });
    expect(await connectWith(url, 'sid=1; XSRF-TOKEN=', { 'X-XSRF-TOKEN': '' })).toEqual({ command: 'ERROR', message: 'Invalid CSRF token' });
  });

  it('only cookie-carrying WebSocket handshakes are checked: no cookie, or TCP, connect without a token', async () => {
    const { url, tcp } = await serve({ csrf: true });
    expect((await connectWith(url, undefined, {})).command).toBe('CONNECTED');
    const raw = await RawClient.open(tcp, 'tcp');
    await raw.connect();
  });

  it('the refusal comes before authentication and closes the connection', async () => {
    let authenticated = 0;
    const { url, server } = await serve({ csrf: true, authenticate: () => ({ name: `u${++authenticated}` }) });
    const closed = new Promise<string | undefined>((resolve) => server.once('session-closed', (_s, error) => resolve(error?.code)));
    expect((await connectWith(url, 'sid=1', {})).message).toBe('Invalid CSRF token');
    expect(await closed).toBe('STOMP_ACCESS_DENIED');
    expect(authenticated).toBe(0);
  });

  it('custom names and a verify function', async () => {
    const named = await serve({ csrf: { cookieName: 'csrf', headerName: 'x-csrf' } });
    expect((await connectWith(named.url, 'csrf=%20t%20', { 'x-csrf': ' t ' })).command).toBe('CONNECTED');
    expect((await connectWith(named.url, 'csrf=t', { 'X-XSRF-TOKEN': 't' })).command).toBe('ERROR');
    const verified = await serve({ csrf: { verify: (token, request) => token === `signed:${request.headers.cookie}` } });
    expect((await connectWith(verified.url, 'sid=9', { 'X-XSRF-TOKEN': 'signed:sid=9' })).command).toBe('CONNECTED');
    expect((await connectWith(verified.url, 'sid=9', { 'X-XSRF-TOKEN': 'signed:sid=8' })).command).toBe('ERROR');
  });
});

// Graceful shutdown: ERROR "Server shutting down" to every client, listeners stop accepting, close() resolves.
import { connect as netConnect } from 'node:net';
import WebSocket from 'ws';
import { useCleanup } from '../support/cleanup.js';
import { RawClient, STOMP_WS_PROTOCOLS } from '../support/raw-client.js';
import { connectClient } from '../support/stomp-client.js';
import { startServer } from '../support/test-server.js';
import { withTimeout } from '../support/wait.js';

useCleanup();

function tcpConnectError(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = netConnect(port, '127.0.0.1');
    socket.on('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? String(error)));
  });
}

function wsConnectOutcome(url: string): Promise<string> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, STOMP_WS_PROTOCOLS);
    ws.on('open', () => {
      ws.terminate();
      resolve('open');
    });
    ws.on('error', (error) => resolve(`error: ${error.message}`));
  });
}

describe('server.close()', () => {
  it('sends ERROR "Server shutting down" to stompjs clients on both transports, then closes them', async () => {
    const ts = await startServer();
    const clients = [await connectClient(ts, 'ws'), await connectClient(ts, 'tcp')];
    await withTimeout(ts.server.close(), 5_000, 'server.close()');
    for (const client of clients) {
      const error = await client.nextError();
      expect(error.headers.message).toBe('Server shutting down');
      await client.waitClosed();
    }
    expect(ts.server.sessions.size).toBe(0);
  });

  it('raw clients: ERROR then close; a client that has not connected yet is closed too', async () => {
    const ts = await startServer();
    const connected = await RawClient.open(ts, 'tcp');
    await connected.connect();
    const pending = await RawClient.open(ts, 'ws');
    const closing = ts.server.close();
    const error = await connected.expectErrorThenClose();
    expect(error.headers.message).toBe('Server shutting down');
    await pending.waitClosed();
    await withTimeout(closing, 5_000, 'server.close()');
  });

  it('both listeners stop accepting', async () => {
    const ts = await startServer();
    expect(await tcpConnectError(ts.tcpPort)).toBe('connected');
    expect(await wsConnectOutcome(ts.wsUrl)).toBe('open');
    await withTimeout(ts.server.close(), 5_000, 'server.close()');
    expect(await tcpConnectError(ts.tcpPort)).toBe('ECONNREFUSED');
    // The http server is the application's (still listening): the STOMP upgrade route is gone.
    expect(await wsConnectOutcome(ts.wsUrl)).toMatch(/^error/);
  });

  it('is idempotent and emits session-closed for every session', async () => {
    const ts = await startServer();
    const a = await connectClient(ts, 'ws');
    const b = await connectClient(ts, 'tcp');
    const first = ts.server.close();
    const second = ts.server.close();
    expect(second).toBe(first);
    await withTimeout(first, 5_000, 'server.close()');
    const closedIds = ts.closedEvents.map((e) => e.session.id).sort();
    expect(closedIds).toEqual([a.connectedFrame.headers.session, b.connectedFrame.headers.session].sort());
    expect(ts.closedEvents.every((e) => e.error?.code === 'STOMP_SERVER_SHUTDOWN')).toBe(true);
  });

  it('resolves even when a client never reads (paused socket)', async () => {
    const ts = await startServer();
    const stuck = await RawClient.open(ts, 'tcp');
    await stuck.connect();
    stuck.pause();
    const start = Date.now();
    await withTimeout(ts.server.close(), 5_000, 'server.close()');
    expect(Date.now() - start).toBeLessThan(5_000);
  });

  it('refuses new endpoints after close', async () => {
    const ts = await startServer();
    await ts.server.close();
    await expect(ts.server.listenTcp({ port: 0 })).rejects.toThrow();
  });
});

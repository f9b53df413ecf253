import 'reflect-metadata';
import { createServer } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { StompErrorCode, StompModule, StompServerHost, type StompSession } from '../src/index.js';
import { connectClient, tcpFactory, wsFactory, wsUrl } from './support/stomp-test-clients.js';

/** Resolves when `port` can be bound again (rejects with EADDRINUSE while something holds it). */
function bindOnce(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve()));
  });
}

describe('app.close()', () => {
  it('sends ERROR to connected clients, closes them and releases the TCP port', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [StompModule.forRoot({ tcp: { port: 0 }, broker: { type: 'simple' } })],
    }).compile();
    const app: INestApplication = moduleRef.createNestApplication({ logger: false });
    await app.listen(0);
    const host = app.get(StompServerHost);
    const port = host.tcpEndpoint!.port;
    await expect(bindOnce(port)).rejects.toThrow(/EADDRINUSE/);

    const ws = await connectClient(wsFactory(wsUrl(app.getHttpServer())));
    const tcp = await connectClient(tcpFactory(port));
    expect(host.server.sessions.size).toBe(2);
    const closedErrors: Array<string | undefined> = [];
    host.server.on('session-closed', (_session: StompSession, error) => closedErrors.push(error?.code));

    await app.close();

    const [wsError, tcpError] = await Promise.all([ws.error, tcp.error]);
    expect(wsError.headers.message).toBe('Server shutting down');
    expect(tcpError.headers.message).toBe('Server shutting down');
    await Promise.all([ws.closed, tcp.closed]);
    expect(closedErrors).toEqual([StompErrorCode.SERVER_SHUTDOWN, StompErrorCode.SERVER_SHUTDOWN]);
    expect(host.server.sessions.size).toBe(0);
    expect(host.tcpEndpoint).toBeUndefined();
    await bindOnce(port);
    await Promise.all([ws.disconnect(), tcp.disconnect()]);
  });

  it('a failed boot (TCP port taken) leaves nothing listening', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as { port: number }).port;
    try {
      const moduleRef = await Test.createTestingModule({
        imports: [StompModule.forRoot({ tcp: { port: taken } })],
      }).compile();
      const app = moduleRef.createNestApplication({ logger: false });
      await expect(app.init()).rejects.toThrow(/EADDRINUSE/);
      const host = app.get(StompServerHost);
      expect(host.webSocketEndpoint).toBeUndefined();
      // The server was closed: it refuses new endpoints.
      expect(() => host.server.attachWebSocket({ server: app.getHttpServer(), path: '/ws' })).toThrow();
      await app.close();
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  });
});

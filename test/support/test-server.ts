import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { StompServer, type StompError, type StompServerInit, type StompSession, type WebSocketEndpointOptions } from '@nest-stomp/core';
import { onCleanup } from './cleanup.js';
import { once } from './wait.js';

export interface TestServer {
  server: StompServer;
  http: HttpServer;
  wsUrl: string;
  tcpPort: number;
  /** Every session-closed event, in order (to check "exactly once per session"). */
  closedEvents: Array<{ session: StompSession; error: StompError | undefined }>;
  /** Resolves when the session with this id emitted session-closed (bounded). */
  sessionClosed(id: string, timeout?: number): Promise<StompError | undefined>;
  /** Resolves with the next session-closed event from now on (session and error; bounded). */
  nextSessionClosed(timeout?: number): Promise<[StompSession, StompError | undefined]>;
  /** Resolves with the next session that connects (bounded). */
  nextSession(timeout?: number): Promise<StompSession>;
  close(): Promise<void>;
}

/**
 * A StompServer on ephemeral ports: WebSocket on `/ws` of a fresh http server on 127.0.0.1:0,
 * plain TCP on 127.0.0.1:0. (61613 belongs to RabbitMQ on these machines.) Closed after each test.
 */
export async function startServer(
  init?: StompServerInit,
  /** More options of the `/ws` endpoint (allowedOrigins, trustProxy). */
  endpoint: Partial<Pick<WebSocketEndpointOptions, 'allowedOrigins' | 'trustProxy'>> = {},
): Promise<TestServer> {
  const server = new StompServer(init);
  const http = createServer((_req, res) => {
    res.statusCode = 404;
    res.end();
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  server.attachWebSocket({ ...endpoint, server: http, path: '/ws' });
  const tcp = await server.listenTcp({ port: 0, host: '127.0.0.1' });
  const closedEvents: TestServer['closedEvents'] = [];
  server.on('session-closed', (session, error) => closedEvents.push({ session, error }));

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      await server.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    })());
  onCleanup(close, 'server');

  return {
    server,
    http,
    wsUrl: `ws://127.0.0.1:${(http.address() as AddressInfo).port}/ws`,
    tcpPort: tcp.port,
    closedEvents,
    async sessionClosed(id, timeout = 3_000) {
      const seen = closedEvents.find((e) => e.session.id === id);
      if (seen) return seen.error;
      const [, error] = await once<[StompSession, StompError | undefined]>(
        (listener) => {
          server.on('session-closed', listener);
          return () => server.off('session-closed', listener);
        },
        (session) => session.id === id,
        timeout,
        `session-closed of ${id}`,
      );
      return error;
    },
    nextSessionClosed(timeout = 3_000) {
      return once<[StompSession, StompError | undefined]>(
        (listener) => {
          server.on('session-closed', listener);
          return () => server.off('session-closed', listener);
        },
        () => true,
        timeout,
        'session-closed',
      );
    },
    async nextSession(timeout = 3_000) {
      const [session] = await once<[StompSession]>(
        (listener) => {
          server.on('session-connected', listener);
          return () => server.off('session-connected', listener);
        },
        () => true,
        timeout,
        'session-connected',
      );
      return session;
    },
    close,
  };
}

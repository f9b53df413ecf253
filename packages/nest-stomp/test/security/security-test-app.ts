import 'reflect-metadata';
import type { INestApplication, ModuleMetadata, Provider } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';
import { onCleanup } from '../../../../test/support/cleanup.js';
import { RawClient, STOMP_WS_PROTOCOLS, type Transport } from '../../../../test/support/raw-client.js';
import type { TestServer } from '../../../../test/support/test-server.js';
import { StompModule, StompServer, StompServerHost, type StompModuleOptions } from '../../src/index.js';
import { RecordingLogger } from '../routing/routing-test-app.js';
import { connectClient, tcpFactory, type SocketFactory, type TestClient } from '../support/stomp-test-clients.js';

export interface SecurityApp {
  app: INestApplication;
  server: StompServer;
  /** ws://127.0.0.1:<port>/ws */
  wsUrl: string;
  tcpPort: number;
  /** The shape RawClient.open needs. */
  target: TestServer;
  /** A stompjs client over `transport`; `query` goes on the WS URL, `wsHeaders` on the handshake. */
  connect(
    transport: Transport,
    connectHeaders?: Record<string, string>,
    ws?: { query?: string; headers?: Record<string, string> },
  ): Promise<TestClient>;
  /** A raw client (exact frames) over `transport`. */
  raw(transport: Transport): Promise<RawClient>;
}

/** A Nest app with StompModule on WebSocket (ephemeral HTTP port) and TCP (port 0), closed after each test. */
export async function bootSecurityApp(options: {
  stomp: StompModuleOptions;
  controllers?: ModuleMetadata['controllers'];
  providers?: Provider[];
  imports?: ModuleMetadata['imports'];
}): Promise<SecurityApp> {
  const moduleRef = await Test.createTestingModule({
    imports: [
      StompModule.forRoot({ broker: { type: 'simple', heartbeat: [0, 0] }, tcp: { port: 0 }, ...options.stomp }),
      ...(options.imports ?? []),
    ],
    controllers: options.controllers ?? [],
    providers: options.providers ?? [],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: new RecordingLogger() });
  await app.listen(0, '127.0.0.1');
  const clients: TestClient[] = [];
  onCleanup(async () => {
    await Promise.allSettled(clients.splice(0).map((c) => c.disconnect()));
    await app.close();
  }, 'server');
  const port = (app.getHttpServer().address() as AddressInfo).port;
  const wsUrl = `ws://127.0.0.1:${port}/ws`;
  const tcpPort = app.get(StompServerHost).tcpEndpoint!.port;
  const target = { wsUrl, tcpPort } as TestServer;
  return {
    app,
    server: app.get(StompServer),
    wsUrl,
    tcpPort,
    target,
    async connect(transport, connectHeaders = {}, ws = {}) {
      const factory: SocketFactory =
        transport === 'tcp'
          ? tcpFactory(tcpPort)
          : () => new WebSocket(`${wsUrl}${ws.query ?? ''}`, STOMP_WS_PROTOCOLS, { headers: ws.headers ?? {} }) as never;
      const client = await connectClient(factory, connectHeaders);
      clients.push(client);
      return client;
    },
    raw: (transport) => RawClient.open(target, transport),
  };
}

/** Opens a WebSocket with these handshake headers: 'open' once upgraded, else the HTTP status. */
export function handshake(url: string, headers: Record<string, string>): Promise<'open' | number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, STOMP_WS_PROTOCOLS, { headers });
    ws.on('open', () => {
      resolve('open');
      ws.terminate();
    });
    ws.on('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0);
      ws.terminate();
    });
    ws.on('error', (error) => reject(error));
  });
}

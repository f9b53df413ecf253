import 'reflect-metadata';
import { Injectable, Module, type INestApplication, type LoggerService } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { StompModule, StompServer, StompServerHost, STOMP_SERVER, type StompModuleOptions } from '../src/index.js';
import { connectClient, tcpFactory, wsFactory, wsUrl, type TestClient } from './support/stomp-test-clients.js';

async function boot(imports: unknown[], logger: LoggerService | false = false): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({ imports: imports as never[] }).compile();
  const app = moduleRef.createNestApplication({ logger });
  await app.listen(0);
  return app;
}

describe('StompModule.forRoot', () => {
  let app: INestApplication;
  const clients: TestClient[] = [];

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.disconnect()));
    await app?.close();
  });

  it('serves STOMP over WebSocket on the Nest HTTP server and over TCP, sharing one broker', async () => {
    app = await boot([
      StompModule.forRoot({ endpoint: { path: '/ws' }, tcp: { port: 0 }, broker: { type: 'simple' } }),
    ]);
    const host = app.get(StompServerHost);
    const tcpPort = host.tcpEndpoint!.port;
    expect(tcpPort).toBeGreaterThan(0);
    expect(host.tcpEndpoint!.host).toBe('127.0.0.1');
    expect(host.webSocketEndpoint!.path).toBe('/ws');

    const ws = await connectClient(wsFactory(wsUrl(app.getHttpServer())));
    const tcp = await connectClient(tcpFactory(tcpPort));
    clients.push(ws, tcp);
    const wsInbox = await ws.subscribe('/topic/greetings');
    const tcpInbox = await tcp.subscribe('/topic/greetings');

    tcp.client.publish({ destination: '/topic/greetings', body: 'from tcp' });
    expect((await wsInbox.next()).body).toBe('from tcp');
    expect((await tcpInbox.next()).body).toBe('from tcp');

    ws.client.publish({ destination: '/topic/greetings', body: 'from ws' });
    expect((await tcpInbox.next()).body).toBe('from ws');
    expect((await wsInbox.next()).body).toBe('from ws');
  });

  it('exposes the core server by token and by class, and lets the application publish', async () => {
    app = await boot([StompModule.forRoot({ broker: { type: 'simple' } })]);
    const server = app.get<StompServer>(STOMP_SERVER);
    expect(app.get(StompServer)).toBe(server);
    expect(app.get(StompServerHost).server).toBe(server);
    // No tcp option: no TCP listener.
    expect(app.get(StompServerHost).tcpEndpoint).toBeUndefined();

    const ws = await connectClient(wsFactory(wsUrl(app.getHttpServer())));
    clients.push(ws);
    const inbox = await ws.subscribe('/topic/news');
    server.publish('/topic/news', 'pushed by the app', { 'content-type': 'text/plain' });
    const message = await inbox.next();
    expect(message.body).toBe('pushed by the app');
    expect(message.headers['content-type']).toBe('text/plain');
  });

  it('passes broker and limit options to the core server', async () => {
    app = await boot([
      StompModule.forRoot({
        endpoint: false,
        broker: { type: 'simple', destinationPrefixes: ['/exchange'], heartbeat: [0, 0], maxQueuedMessages: 5 },
        limits: { maxFrameSize: 4096 },
        maxSubscriptionsPerSession: 7,
        timeToFirstFrame: 1234,
      }),
    ]);
    const host = app.get(StompServerHost);
    expect(host.webSocketEndpoint).toBeUndefined();
    const options = host.server.options;
    expect(options.heartbeat).toEqual([0, 0]);
    expect(options.limits.maxFrameSize).toBe(4096);
    expect(options.limits.maxHeaders).toBe(64); // untouched defaults survive
    expect(options.timeToFirstFrame).toBe(1234);
    expect(options.broker.destinationPrefixes).toEqual(['/exchange']);
    expect(options.broker.maxQueuedMessages).toBe(5);
    expect(options.broker.maxSubscriptionsPerSession).toBe(7);
    expect(host.options.applicationDestinationPrefixes).toEqual(['/app']);
    expect(host.options.userDestinationPrefix).toBe('/user');
  });

  it('logs one line per endpoint started', async () => {
    const lines: string[] = [];
    const capture: LoggerService = {
      log: (message: unknown, context?: unknown) => void (context === 'StompModule' && lines.push(String(message))),
      error: () => undefined,
      warn: () => undefined,
    };
    app = await boot([StompModule.forRoot({ endpoint: { path: '/stomp' }, tcp: { port: 0 } })], capture);
    const port = app.get(StompServerHost).tcpEndpoint!.port;
    expect(lines).toEqual(['STOMP over WebSocket on path /stomp', `STOMP over TCP on 127.0.0.1:${port}`]);
  });

  it('rejects invalid options at boot with a message naming the option', async () => {
    const bad = { broker: { type: 'kafka' } } as unknown as StompModuleOptions;
    const moduleRef = Test.createTestingModule({ imports: [StompModule.forRoot(bad)] });
    await expect(moduleRef.compile()).rejects.toThrow(/broker\.type must be 'simple' or 'relay'/);
  });
});

@Injectable()
class FakeConfigService {
  private readonly values: Record<string, string> = { STOMP_PATH: '/async-ws', STOMP_TCP_PORT: '0' };
  get(key: string): string | undefined {
    return this.values[key];
  }
}

@Module({ providers: [FakeConfigService], exports: [FakeConfigService] })
class FakeConfigModule {}

describe('StompModule.forRootAsync', () => {
  let app: INestApplication;
  afterEach(async () => app?.close());

  it('builds the options with a factory that injects a config provider', async () => {
    app = await boot([
      StompModule.forRootAsync({
        imports: [FakeConfigModule],
        inject: [FakeConfigService],
        useFactory: async (config: FakeConfigService) => ({
          endpoint: { path: config.get('STOMP_PATH') },
          tcp: { port: Number(config.get('STOMP_TCP_PORT')) },
          broker: { type: 'simple' as const },
        }),
      }),
    ]);
    const host = app.get(StompServerHost);
    expect(host.webSocketEndpoint!.path).toBe('/async-ws');

    const ws = await connectClient(wsFactory(wsUrl(app.getHttpServer(), '/async-ws')));
    const tcp = await connectClient(tcpFactory(host.tcpEndpoint!.port));
    try {
      const inbox = await ws.subscribe('/queue/jobs');
      tcp.client.publish({ destination: '/queue/jobs', body: 'job-1' });
      expect((await inbox.next()).body).toBe('job-1');
    } finally {
      await Promise.all([ws.disconnect(), tcp.disconnect()]);
    }
  });
});

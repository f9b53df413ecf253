import 'reflect-metadata';
import type { INestApplication, LoggerService, ModuleMetadata, Provider } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { Client } from '@stomp/stompjs';
import { StompModule, StompServer, type StompModuleOptions } from '../../src/index.js';
import { connectClient, wsFactory, wsUrl, type Inbox, type TestClient } from '../support/stomp-test-clients.js';

/** A silent logger that keeps what was logged, for assertions. */
export class RecordingLogger implements LoggerService {
  readonly lines: Array<{ level: string; message: string; context?: string }> = [];
  log(message: unknown, context?: string): void {
    this.lines.push({ level: 'log', message: String(message), context });
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.lines.push({ level: 'error', message: String(message), context: rest.at(-1) as string | undefined });
  }
  warn(message: unknown, context?: string): void {
    this.lines.push({ level: 'warn', message: String(message), context });
  }
  debug(message: unknown, context?: string): void {
    this.lines.push({ level: 'debug', message: String(message), context });
  }
}

export interface RoutingApp {
  app: INestApplication;
  server: StompServer;
  logger: RecordingLogger;
  /** Connects a WebSocket client; `login` becomes the session principal's name, `role` its role. */
  connect(login?: string, role?: string): Promise<TestClient>;
  close(): Promise<void>;
}

export interface BootOptions {
  controllers?: ModuleMetadata['controllers'];
  providers?: Provider[];
  imports?: ModuleMetadata['imports'];
  stomp?: StompModuleOptions;
  /** Runs on the app before init (useGlobalFilters, useGlobalPipes...). */
  configure?: (app: INestApplication) => void;
}

/**
 * Boots a Nest app with StompModule and the given controllers, listening on an ephemeral port.
 */
export async function bootRoutingApp(options: BootOptions): Promise<RoutingApp> {
  const moduleRef = await Test.createTestingModule({
    imports: [
      StompModule.forRoot({
        broker: { type: 'simple', heartbeat: [0, 0] },
        // Test principals: `login: alice` authenticates as { name: 'alice' }; no login stays anonymous.
        authenticate: ({ headers }) => (headers.login ? { name: headers.login, role: headers.role } : undefined),
        ...options.stomp,
      }),
      ...(options.imports ?? []),
    ],
    controllers: options.controllers ?? [],
    providers: options.providers ?? [],
  }).compile();
  const logger = new RecordingLogger();
  const app = moduleRef.createNestApplication({ logger });
  options.configure?.(app);
  const server = app.get(StompServer);
  await app.listen(0);
  const clients: TestClient[] = [];
  return {
    app,
    server,
    logger,
    async connect(login, role) {
      const headers: Record<string, string> = login ? { login, passcode: 'x' } : {};
      if (role) headers.role = role;
      const client = await connectWithHeaders(wsUrl(app.getHttpServer()), headers);
      clients.push(client);
      return client;
    },
    async close() {
      await Promise.all(clients.splice(0).map((c) => c.disconnect()));
      await app.close();
    },
  };
}

let receipts = 0;

/** SEND with a receipt; resolves when the RECEIPT arrived (the frame took effect, handler finished). */
export function sendWithReceipt(
  client: Client,
  destination: string,
  body = '',
  headers: Record<string, string> = {},
): Promise<void> {
  return new Promise((resolve) => {
    const receipt = `send-${++receipts}`;
    client.watchForReceipt(receipt, () => resolve());
    client.publish({ destination, body, headers: { ...headers, receipt } });
  });
}

export function json(body: string): unknown {
  return JSON.parse(body) as unknown;
}

/** A stompjs client over WebSocket with CONNECT headers (e.g. `login` for the test authenticator). */
export function connectWithHeaders(url: string, connectHeaders: Record<string, string>): Promise<TestClient> {
  return connectClient(wsFactory(url), connectHeaders);
}

/** Resolves true when `inbox` receives nothing before `probe` completes (a later round trip on the same server). */
export async function staysEmpty(inbox: Inbox, probe: () => Promise<void>): Promise<boolean> {
  const got: string[] = [];
  void inbox.next().then((m) => got.push(m.body));
  await probe();
  return got.length === 0;
}

import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Server as HttpServer } from 'node:http';
import type { RelayHost, StompError, StompServer, StompSession, TcpEndpoint, WebSocketEndpoint } from '@nest-stomp/core';
import { STOMP_RESOLVED_OPTIONS, STOMP_SERVER } from './stomp.constants.js';
import type { ResolvedStompModuleOptions } from './stomp-options.resolver.js';

/**
 * Runs the core StompServer inside the Nest lifecycle: endpoints start once the whole app is
 * bootstrapped (so every provider could hook in first) and stop before Nest closes the HTTP server
 * (so STOMP clients get an ERROR frame instead of a dropped socket, and nothing keeps the process alive).
 */
@Injectable()
export class StompServerHost implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('StompModule');
  private ws: WebSocketEndpoint | undefined;
  private tcp: TcpEndpoint | undefined;

  constructor(
    @Inject(STOMP_SERVER) readonly server: StompServer,
    @Inject(STOMP_RESOLVED_OPTIONS) readonly options: ResolvedStompModuleOptions,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  /** The WebSocket endpoint once started (undefined before bootstrap, after close, or with `endpoint: false`). */
  get webSocketEndpoint(): WebSocketEndpoint | undefined {
    return this.ws;
  }

  /** The TCP listener once started; `port` is the bound one (useful with `tcp: { port: 0 }`). */
  get tcpEndpoint(): TcpEndpoint | undefined {
    return this.tcp;
  }

  async onApplicationBootstrap(): Promise<void> {
    this.server.on('session-connected', this.onSessionConnected);
    this.server.on('session-closed', this.onSessionClosed);
    this.server.on('broker-available', this.onBrokerAvailable);
    this.server.on('broker-unavailable', this.onBrokerUnavailable);
    // The relay starts connecting with the server: it may be up before we listened.
    const relay = this.server.relay;
    const address = relay?.available ? relay.systemAddress : undefined;
    if (address !== undefined) this.onBrokerAvailable(address);
    try {
      const { endpoint, tcp } = this.options;
      if (endpoint) this.startWebSocket(endpoint);
      if (tcp) {
        this.tcp = await this.server.listenTcp(tcp);
        this.logger.log(`STOMP over TCP on ${this.tcp.host}:${this.tcp.port}`);
      }
    } catch (error) {
      // E.g. the TCP port is taken: release what was started so a failed boot leaves nothing open.
      await this.stop();
      throw error;
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  private startWebSocket({ path, allowedOrigins, trustProxy }: Exclude<ResolvedStompModuleOptions['endpoint'], false>): void {
    // HttpAdapterHost exists in every Nest context but has no adapter in a standalone
    // application context (NestFactory.createApplicationContext): there is no HTTP server to share.
    const httpServer = this.adapterHost.httpAdapter?.getHttpServer() as HttpServer | undefined;
    if (!httpServer) {
      this.logger.warn(`No HTTP server in this application: STOMP WebSocket endpoint ${path} not started`);
      return;
    }
    this.ws = this.server.attachWebSocket({ server: httpServer, path, allowedOrigins, trustProxy });
    this.logger.log(`STOMP over WebSocket on path ${path}`);
  }

  private async stop(): Promise<void> {
    // A deliberate shutdown is no broker outage: no warning for it.
    this.server.off('broker-available', this.onBrokerAvailable);
    this.server.off('broker-unavailable', this.onBrokerUnavailable);
    await this.server.close();
    this.ws = undefined;
    this.tcp = undefined;
    this.server.off('session-connected', this.onSessionConnected);
    this.server.off('session-closed', this.onSessionClosed);
    this.server.off('broker-available', this.onBrokerAvailable);
    this.server.off('broker-unavailable', this.onBrokerUnavailable);
  }

  // Relay only: the external broker coming and going is worth a line at the default level.
  private readonly onBrokerAvailable = (address: RelayHost): void => {
    this.logger.log(`STOMP broker relay connected to ${address.host}:${address.port}`);
  };

  private readonly onBrokerUnavailable = (error: StompError | undefined): void => {
    this.logger.warn(`STOMP broker relay lost the broker${error ? `: ${error.details ?? error.message}` : ''}; reconnecting`);
  };

  // The core never logs; these are the only per-session lines, and only at debug level.
  private readonly onSessionConnected = (session: StompSession): void => {
    if (!Logger.isLevelEnabled('debug')) return;
    this.logger.debug(
      `Session ${session.id} connected (STOMP ${session.version} over ${session.connection.transport}` +
        `${session.connection.remoteAddress ? ` from ${session.connection.remoteAddress}` : ''})`,
    );
  };

  private readonly onSessionClosed = (session: StompSession, error: StompError | undefined): void => {
    if (!Logger.isLevelEnabled('debug')) return;
    this.logger.debug(`Session ${session.id} closed${error ? `: ${error.code} ${error.message}` : ''}`);
  };
}

import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import type { MessageBroker } from '../broker/message-broker.js';
import { SimpleBroker } from '../broker/simple-broker.js';
import { StompErrorCode } from '../errors/error-codes.js';
import { StompError } from '../errors/stomp.error.js';
import type { ApplicationHandler } from '../session/application-handler.js';
import type { SessionHost } from '../session/session-host.js';
import { StompSession } from '../session/stomp-session.js';
import type { StompConnection } from '../transport/stomp-connection.js';
import { listenTcpEndpoint, type TcpEndpoint, type TcpEndpointOptions } from '../transport/tcp/tcp-transport.js';
import {
  attachWebSocketEndpoint,
  type WebSocketEndpoint,
  type WebSocketEndpointOptions,
} from '../transport/ws/ws-transport.js';
import { resolveServerOptions, type StompServerInit, type StompServerOptions } from './stomp-server-options.js';

export interface StompServerEvents {
  'session-connected': [session: StompSession];
  'session-closed': [session: StompSession, error: StompError | undefined];
}

/** How long close() waits for clients to take their ERROR frame before it drops them. */
const SHUTDOWN_GRACE_MS = 1_000;

/**
 * A STOMP server: sessions over any transport, the embedded broker, and the seam where the
 * application (controllers) plugs in. Emits events; never logs.
 */
export class StompServer extends EventEmitter<StompServerEvents> implements SessionHost {
  readonly options: StompServerOptions;
  readonly broker: MessageBroker;
  application: ApplicationHandler | undefined;
  private readonly liveSessions = new Map<string, StompSession>();
  private readonly endpoints = new Set<WebSocketEndpoint | TcpEndpoint>();
  private dirty: StompSession[] = [];
  private closing: Promise<void> | undefined;

  constructor(init: StompServerInit = {}, broker?: MessageBroker) {
    super();
    this.options = resolveServerOptions(init);
    this.broker = broker ?? new SimpleBroker(this.options.broker);
  }

  /** Every session not yet closed, by id. */
  get sessions(): ReadonlyMap<string, StompSession> {
    return this.liveSessions;
  }

  /** Serves STOMP over WebSocket on `path` (default '/ws') of an existing HTTP server. */
  attachWebSocket(
    options: Omit<WebSocketEndpointOptions, 'maxPayload'> & { maxPayload?: number },
    onRequest?: (session: StompSession, request: IncomingMessage) => void,
  ): WebSocketEndpoint {
    this.assertOpen();
    const endpoint = attachWebSocketEndpoint(
      // A frame may span messages; one message may hold a frame plus heart-beats around it.
      { maxPayload: this.options.limits.maxFrameSize + 1024, ...options },
      (connection, request) => {
        const session = this.handle(connection);
        onRequest?.(session, request);
      },
    );
    return this.track(endpoint);
  }

  /** Starts a plain-TCP listener; port 0 picks a free one (read it back from the result). */
  async listenTcp(options: TcpEndpointOptions): Promise<TcpEndpoint> {
    this.assertOpen();
    return this.track(await listenTcpEndpoint(options, (connection) => this.handle(connection)));
  }

  /** The transport seam: runs a STOMP session over any connection. */
  handle(connection: StompConnection): StompSession {
    const session = new StompSession(connection, this);
    this.liveSessions.set(session.id, session);
    if (this.closing) session.fail(new StompError(StompErrorCode.SERVER_SHUTDOWN, 'Server shutting down'));
    return session;
  }

  /** Sends from the application side to a broker destination (what the messaging template uses). */
  publish(destination: string, body: Buffer | string, headers: Record<string, string> = {}): void {
    this.broker.publish({
      destination,
      headers,
      body: typeof body === 'string' ? Buffer.from(body) : body,
    });
  }

  /**
   * Graceful shutdown: every client gets an ERROR ("Server shutting down") and is closed, the
   * listeners stop, timers are cleared. Idempotent.
   */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    const sessions = [...this.liveSessions.values()];
    const gone = sessions.map((session) => new Promise<void>((resolve) => {
      if (!this.liveSessions.has(session.id)) return resolve();
      const onClosed = (closed: StompSession) => {
        if (closed !== session) return;
        this.off('session-closed', onClosed);
        resolve();
      };
      this.on('session-closed', onClosed);
    }));
    for (const session of sessions) {
      session.fail(new StompError(StompErrorCode.SERVER_SHUTDOWN, 'Server shutting down'));
    }
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(gone),
      new Promise<void>((resolve) => (timer = setTimeout(resolve, SHUTDOWN_GRACE_MS))),
    ]);
    clearTimeout(timer);
    for (const session of this.liveSessions.values()) session.connection.destroy();
    await Promise.all([...this.endpoints].map((endpoint) => endpoint.close()));
    this.endpoints.clear();
    this.broker.close();
  }

  // ---- SessionHost --------------------------------------------------------------------------

  newSessionId(): string {
    // Unguessable: session ids end up in user-destination queue names.
    return randomBytes(12).toString('base64url');
  }

  scheduleFlush(session: StompSession): void {
    // One flush per turn for all sessions written to: a fan-out becomes one write per subscriber.
    if (this.dirty.push(session) === 1) process.nextTick(this.flushAll);
  }

  private readonly flushAll = (): void => {
    const dirty = this.dirty;
    this.dirty = [];
    for (let i = 0; i < dirty.length; i++) dirty[i]!.flush();
  };

  sessionConnected(session: StompSession): void {
    this.emit('session-connected', session);
  }

  sessionClosed(session: StompSession, error: StompError | undefined): void {
    this.liveSessions.delete(session.id);
    this.emit('session-closed', session, error);
  }

  private track<T extends WebSocketEndpoint | TcpEndpoint>(endpoint: T): T {
    this.endpoints.add(endpoint);
    return endpoint;
  }

  private assertOpen(): void {
    if (this.closing) throw new Error('StompServer is closed');
  }
}


import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import type { MessageBroker } from '../broker/message-broker.js';
import { SimpleBroker } from '../broker/simple-broker.js';
import { StompErrorCode } from '../errors/error-codes.js';
import { StompError } from '../errors/stomp.error.js';
import { StompLimitError } from '../errors/stomp-limit.error.js';
import type { StompHeaders } from '../codec/stomp-frame.js';
import { encodeFrame } from '../codec/stomp-encoder.js';
import type { ApplicationHandler } from '../session/application-handler.js';
import type { SessionHost, SessionSubscription } from '../session/session-host.js';
import { StompSession } from '../session/stomp-session.js';
import { HeartbeatScheduler } from '../session/heartbeat-scheduler.js';
import { DeliveryLinger } from '../session/delivery-linger.js';
import { FlushList } from '../session/flush-list.js';
import { ConnectDeadlines } from '../session/connect-deadlines.js';
import { UserDestinationResolver } from '../user/user-destination-resolver.js';
import { StompBrokerRelay } from '../relay/stomp-broker-relay.js';
import type { RelayHost } from '../relay/relay-options.js';
import { UserRegistry } from '../user/user-registry.js';
import { MultiServerUserRegistry } from '../user/multi-server-user-registry.js';
import { UserRegistryBroadcast } from '../user/user-registry-broadcast.js';
import type { StompConnection } from '../transport/stomp-connection.js';
import { listenTcpEndpoint, type TcpEndpoint, type TcpEndpointOptions } from '../transport/tcp/tcp-transport.js';
import {
  attachWebSocketEndpoint,
  type WebSocketEndpoint,
  type WebSocketEndpointOptions,
} from '../transport/ws/ws-transport.js';
import { CsrfCheck, type CsrfOptions } from '../security/csrf-check.js';
import type { DestinationRule } from '../security/destination-rule.js';
import { DestinationRules } from '../security/destination-rules.js';
import { OriginPolicy } from '../security/origin-policy.js';
import type { StompAuthenticator } from '../session/stomp-authenticator.js';
import { resolveServerOptions, type StompServerInit, type StompServerOptions } from './stomp-server-options.js';

export interface StompServerEvents {
  /** A valid CONNECT arrived (before authentication decided). */
  'session-connect': [session: StompSession, headers: StompHeaders];
  /** CONNECTED was sent; `session.principal` is set when authenticated. */
  'session-connected': [session: StompSession];
  /** A SUBSCRIBE took effect; `destination` as the client subscribed it (`/user/queue/x`). */
  'session-subscribe': [session: StompSession, subscription: SessionSubscription];
  /** An UNSUBSCRIBE took effect. */
  'session-unsubscribe': [session: StompSession, subscription: { id: string; destination: string }];
  /** The session ended (DISCONNECT, ERROR, transport close, shutdown): exactly once per session. */
  'session-closed': [session: StompSession, error: StompError | undefined];
  /**
   * A connection limit refused a new connection (it got an ERROR, or HTTP 503 on WebSocket, and never
   * became a session). `remoteAddress`: the one the limit counted (forwarded, under `trustProxy`).
   */
  'connection-refused': [remoteAddress: string | undefined, error: StompError];
  /** Relay only: the external broker is reachable (again); sent on every down → up change. */
  'broker-available': [address: RelayHost];
  /** Relay only: the external broker was lost; clients are refused, publish() throws BROKER_UNAVAILABLE. */
  'broker-unavailable': [error: StompError | undefined];
}

/** One key per client address: an IPv4 client seen through an IPv6 socket counts as itself. */
function addressKey(remoteAddress: string | undefined): string {
  if (remoteAddress === undefined) return '';
  return remoteAddress.startsWith('::ffff:') ? remoteAddress.slice(7) : remoteAddress;
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
  /** Connected users (sessions with a principal), their sessions and subscriptions. */
  readonly userRegistry = new UserRegistry();
  /**
   * The users of every app instance relaying to the same broker (Spring's MultiServerUserRegistry);
   * only this instance's without a relay or with `userRegistryBroadcast: false`.
   */
  readonly multiServerUserRegistry: MultiServerUserRegistry;
  /** Relay with `userRegistryBroadcast`: when this instance's snapshot goes out. */
  private registryBroadcast: UserRegistryBroadcast | undefined;
  /** `/user/...` destinations: resolution, delivery and isolation between sessions. */
  readonly userDestinations: UserDestinationResolver;
  /** Compiled destination rules; undefined when there are none. */
  rules: DestinationRules | undefined;
  /** The CSRF check on CONNECT, when enabled. */
  csrf: CsrfCheck | undefined;
  /** Heart-beat timers of all sessions: one interval per negotiated value, not two per session. */
  readonly heartbeatScheduler: HeartbeatScheduler;
  /** Sessions waiting for their CONNECT, on one timer (undefined when `timeToFirstFrame` is 0). */
  readonly connectDeadlines: ConnectDeadlines<StompSession> | undefined;
  /** Relay option `linger`: MESSAGEs of busy sessions wait for the next ones here (undefined: the embedded broker, or `linger: 0`). */
  readonly deliveryLinger: DeliveryLinger<StompSession> | undefined;
  private readonly liveSessions = new Map<string, StompSession>();
  /** Open connections per remote address (only kept when `maxConnectionsPerAddress` is set). */
  private readonly perAddress = new Map<string, number>();
  private readonly endpoints = new Set<WebSocketEndpoint | TcpEndpoint>();
  /** Sessions written to during this turn, flushed at its end. */
  private readonly dirty = new FlushList<StompSession>();
  private closing: Promise<void> | undefined;

  constructor(init: StompServerInit = {}, broker?: MessageBroker) {
    super();
    this.options = resolveServerOptions(init);
    this.heartbeatScheduler = new HeartbeatScheduler(this.options.heartbeatTolerance);
    const timeToFirstFrame = this.options.timeToFirstFrame;
    this.connectDeadlines =
      timeToFirstFrame > 0
        ? new ConnectDeadlines<StompSession>(timeToFirstFrame, (session) =>
            session.fail(new StompLimitError(StompErrorCode.CONNECT_TIMEOUT, `No CONNECT frame within ${timeToFirstFrame} ms`)),
          )
        : undefined;
    this.broker = broker ?? (init.relay !== undefined
        ? new StompBrokerRelay({ maxSubscriptionsPerSession: this.options.broker.maxSubscriptionsPerSession, ...init.relay })
        : new SimpleBroker(this.options.broker));
    this.userDestinations = new UserDestinationResolver(
      this.options.userDestinationPrefix,
      this.userRegistry,
      this.liveSessions,
      this.broker,
    );
    this.configureSecurity({ authenticate: this.options.authenticate, rules: this.options.rules, csrf: this.options.csrf });
    const relay = this.broker instanceof StompBrokerRelay ? this.broker : undefined;
    this.multiServerUserRegistry = new MultiServerUserRegistry(this.userRegistry, relay?.options.registryExpirationPeriod ?? 20_000);
    const linger = relay?.options.linger ?? 0;
    this.deliveryLinger = linger > 0 ? new DeliveryLinger<StompSession>(linger) : undefined;
    if (relay !== undefined) this.wireRelay(relay);
  }

  /**
   * Replaces the authenticator, the destination rules and the CSRF check (what the Nest module
   * does once DI resolved them). Rules are compiled here, once; invalid rules throw. Sessions
   * opened before keep the rules they started with: call it before the endpoints open.
   */
  configureSecurity(security: {
    authenticate?: StompAuthenticator | undefined;
    rules?: readonly DestinationRule[] | undefined;
    csrf?: CsrfOptions | boolean | undefined;
  }): void {
    // Everything is built before anything is replaced: invalid rules leave the server as it was.
    const rules = security.rules !== undefined && security.rules.length > 0 ? new DestinationRules(security.rules) : undefined;
    const csrf = security.csrf;
    const csrfCheck = csrf === undefined || csrf === false ? undefined : new CsrfCheck(csrf === true ? {} : csrf);
    this.options.authenticate = security.authenticate;
    this.options.rules = security.rules === undefined ? undefined : [...security.rules];
    this.options.csrf = csrf;
    this.rules = rules;
    this.csrf = csrfCheck;
  }

  /** The relay behind this server, when broker destinations live in an external broker. */
  get relay(): StompBrokerRelay | undefined {
    return this.broker instanceof StompBrokerRelay ? this.broker : undefined;
  }

  /** True unless a relay has lost its broker (the embedded broker is always available). */
  get brokerAvailable(): boolean {
    return this.relay?.available ?? true;
  }

  private wireRelay(relay: StompBrokerRelay): void {
    relay.on('broker-available', (address) => this.emit('broker-available', address));
    relay.on('broker-unavailable', (error) => this.emit('broker-unavailable', error));
    // Another app instance's message for one of our users: to our sessions of that user only.
    relay.on('user-message', (m) => {
      try {
        this.userDestinations.sendToUser(m.user, m.destination, m.headers, m.body, m.sessionId, true);
      } catch {
        // Not deliverable here (no such destination prefix, broker down): the sender's side decided.
      }
    });
    if (relay.options.userRegistryBroadcast !== false) {
      // Spring: a snapshot every registryExpirationPeriod / 2, and at once when the broker (re)appears;
      // ours also soon after a user comes or goes (sessionConnected, sessionClosed).
      const broadcast = new UserRegistryBroadcast(
        () => relay.broadcastRegistry(JSON.stringify(this.multiServerUserRegistry.snapshot())),
        relay.options.registryExpirationPeriod / 2,
      );
      this.registryBroadcast = broadcast;
      relay.on('broker-available', broadcast.shareNow);
      relay.on('user-registry', (instance, text) => {
        try {
          this.multiServerUserRegistry.addRemote(instance, JSON.parse(text));
        } catch {
          // Not a snapshot: ignored (the topic is the broker's, anybody may write to it).
        }
      });
    }
    relay.start();
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
    const origins = new OriginPolicy(options.allowedOrigins);
    const verify = options.verify;
    const endpoint = attachWebSocketEndpoint(
      // A frame may span messages; one message may hold a frame plus heart-beats around it.
      {
        maxPayload: this.options.limits.maxFrameSize + 1024,
        ...options,
        // Before any STOMP: a foreign origin gets 403, a connection over the limits 503.
        // `remoteAddress`: the forwarded client address when `trustProxy` believes the proxy.
        verify: (request, remoteAddress) => {
          if (!origins.allows(request)) return 403;
          const refusal = this.connectionRefusal(remoteAddress);
          if (refusal !== undefined) {
            this.emit('connection-refused', remoteAddress, new StompLimitError(StompErrorCode.LIMIT_EXCEEDED, refusal));
            return 503;
          }
          return verify?.(request, remoteAddress);
        },
      },
      (connection, request) => {
        const session = this.handle(connection, request);
        if (session !== undefined) onRequest?.(session, request);
      },
    );
    return this.track(endpoint);
  }

  /** Starts a plain-TCP listener; port 0 picks a free one (read it back from the result). */
  async listenTcp(options: TcpEndpointOptions): Promise<TcpEndpoint> {
    this.assertOpen();
    return this.track(await listenTcpEndpoint(options, (connection) => this.handle(connection)));
  }

  /**
   * The transport seam: runs a STOMP session over any connection (`upgradeRequest`: the WebSocket's
   * HTTP request). Undefined when a connection limit refused it (ERROR sent, closing).
   */
  handle(connection: StompConnection, upgradeRequest?: IncomingMessage): StompSession | undefined {
    const refusal = this.closing ? undefined : this.connectionRefusal(connection.remoteAddress);
    if (refusal !== undefined) return this.refuse(connection, refusal);
    const session = new StompSession(connection, this, upgradeRequest);
    this.liveSessions.set(session.id, session);
    if (this.options.maxConnectionsPerAddress > 0) {
      const address = addressKey(connection.remoteAddress);
      this.perAddress.set(address, (this.perAddress.get(address) ?? 0) + 1);
    }
    if (this.closing) session.fail(new StompError(StompErrorCode.SERVER_SHUTDOWN, 'Server shutting down'));
    return session;
  }

  /**
   * A connection over a connection limit: an ERROR frame and the close, without becoming a session
   * (it never counts against the limits itself, so a flood of refused ones cannot crowd others out).
   */
  private refuse(connection: StompConnection, message: string): undefined {
    const error = new StompLimitError(StompErrorCode.LIMIT_EXCEEDED, message);
    connection.bind({ data: () => undefined, drain: () => undefined, close: () => undefined });
    connection.write(encodeFrame('ERROR', { message, 'content-type': 'text/plain' }, message, '1.2'));
    connection.end(1008, error.code);
    this.emit('connection-refused', connection.remoteAddress, error);
    return undefined;
  }
  /** Why one more connection from `remoteAddress` would break a connection limit, or undefined. */
  private connectionRefusal(remoteAddress: string | undefined): string | undefined {
    const { maxConnections, maxConnectionsPerAddress } = this.options;
    if (maxConnections > 0 && this.liveSessions.size >= maxConnections) {
      return `Too many connections (maxConnections ${maxConnections})`;
    }
    if (maxConnectionsPerAddress > 0 && (this.perAddress.get(addressKey(remoteAddress)) ?? 0) >= maxConnectionsPerAddress) {
      return `Too many connections from this address (maxConnectionsPerAddress ${maxConnectionsPerAddress})`;
    }
    return undefined;
  }

  /**
   * Sends from the application side to a broker destination (what the messaging template uses).
   * A user destination (`/user/alice/queue/x`) goes to every session of alice, as a client SEND would.
   */
  publish(destination: string, body: Buffer | string, headers: Record<string, string> = {}): void {
    const bytes = typeof body === 'string' ? Buffer.from(body) : body;
    if (this.userDestinations.isUserDestination(destination)) {
      this.userDestinations.publish(destination, headers, bytes);
      return;
    }
    this.broker.publish({ destination, headers, body: bytes });
  }

  /**
   * Sends to a user's `/user<destination>` subscriptions (Spring's convertAndSendToUser):
   * `destination` is without the user prefix (`/queue/errors`); `user` is a principal name, or the
   * id of a session without one. With `sessionId`, only that session of the user. Clients see
   * MESSAGE `destination:/user/queue/errors`. Nobody connected as `user`: nothing happens.
   * Throws NO_HANDLER when `destination` is not a broker destination, and QUEUE_FULL (after
   * delivering to the other sessions) when one session's queue is full.
   */
  sendToUser(
    user: string,
    destination: string,
    body: Buffer | string,
    headers: Record<string, string> = {},
    sessionId?: string,
  ): void {
    this.userDestinations.sendToUser(user, destination, headers, typeof body === 'string' ? Buffer.from(body) : body, sessionId);
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
    // One listener for all sessions (one each would trip EventEmitter's leak warning past 10).
    const gone = new Promise<void>((resolve) => {
      const onClosed = (): void => {
        if (this.liveSessions.size > 0) return;
        this.off('session-closed', onClosed);
        resolve();
      };
      this.on('session-closed', onClosed);
      onClosed();
    });
    for (const session of sessions) {
      session.fail(new StompError(StompErrorCode.SERVER_SHUTDOWN, 'Server shutting down'));
    }
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      gone,
      new Promise<void>((resolve) => (timer = setTimeout(resolve, SHUTDOWN_GRACE_MS))),
    ]);
    clearTimeout(timer);
    for (const session of this.liveSessions.values()) session.connection.destroy();
    await Promise.all([...this.endpoints].map((endpoint) => endpoint.close()));
    this.endpoints.clear();
    this.registryBroadcast?.close();
    this.heartbeatScheduler.close();
    this.connectDeadlines?.close();
    this.deliveryLinger?.close();
    this.broker.close();
  }

  // ---- SessionHost --------------------------------------------------------------------------

  newSessionId(): string {
    // Unguessable: session ids end up in user-destination queue names. No '-' (so never '-user'):
    // the owner of `/queue/x-user<id>` is what follows its last '-user'.
    return randomBytes(12).toString('base64url').replaceAll('-', '_');
  }

  scheduleFlush(session: StompSession): void {
    // One flush per turn for all sessions written to: a fan-out becomes one write per subscriber.
    if (this.dirty.add(session)) process.nextTick(this.flushAll);
  }

  private readonly flushAll = (): void => this.dirty.flushAll();

  sessionConnect(session: StompSession, headers: StompHeaders): void {
    this.emit('session-connect', session, headers);
  }

  sessionConnected(session: StompSession): void {
    const principal = session.principal;
    if (principal !== undefined) {
      this.userRegistry.addSession(session.id, principal.name);
      // Before the event: a snapshot that leaves at once is ahead of what a listener sends about
      // this user (a presence line).
      if (this.registryBroadcast !== undefined && this.userRegistry.getUser(principal.name)?.sessions.size === 1) {
        this.registryBroadcast.changed();
      }
    }
    this.emit('session-connected', session);
  }

  sessionSubscribed(session: StompSession, subscription: SessionSubscription): void {
    if (session.principal !== undefined) this.userRegistry.addSubscription(session.id, subscription.id, subscription.destination);
    this.emit('session-subscribe', session, subscription);
  }

  sessionUnsubscribed(session: StompSession, subscription: { readonly id: string; readonly destination: string }): void {
    if (session.principal !== undefined) this.userRegistry.removeSubscription(session.id, subscription.id);
    this.emit('session-unsubscribe', session, { id: subscription.id, destination: subscription.destination });
  }

  sessionClosed(session: StompSession, error: StompError | undefined): void {
    this.liveSessions.delete(session.id);
    if (this.options.maxConnectionsPerAddress > 0) {
      const address = addressKey(session.remoteAddress);
      const count = (this.perAddress.get(address) ?? 1) - 1;
      if (count > 0) this.perAddress.set(address, count);
      else this.perAddress.delete(address);
    }
    this.userRegistry.removeSession(session.id);
    const principal = session.principal;
    if (this.registryBroadcast !== undefined && principal !== undefined && this.userRegistry.getUser(principal.name) === undefined) {
      this.registryBroadcast.changed();
    }
    // Its user queues hold messages nobody can ever read now.
    const resolved = session.resolvedDestinationsIfAny;
    if (resolved !== undefined) {
      for (const destination of resolved) this.broker.dropQueue(destination);
      session.resolvedDestinations.clear();
    }
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


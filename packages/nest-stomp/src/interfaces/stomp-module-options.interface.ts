import type { Type } from '@nestjs/common';
import type { RelayHost, StompBrokerRelayInit, StompServerInit, TrustProxy } from '@nest-stomp/core';
import type { StompAuthenticator } from '../security/stomp-authenticator.interface.js';
import type { StompDestinationRule } from '../security/stomp-destination-rule.interface.js';

/** The STOMP-over-WebSocket endpoint, served on the Nest application's own HTTP server. */
export interface StompEndpointOptions {
  /** URL path of the endpoint. Default '/ws'. */
  path?: string;
  /**
   * Browser origins allowed to open the endpoint (Spring's setAllowedOrigins/Patterns). Default: the
   * same origin as the request's Host. Entries: exact origins (`https://app.example`), `*` patterns
   * (`https://*.example.com`, `http://localhost:*`), `'*'` for any. A refused origin gets HTTP 403
   * before any STOMP; a handshake without Origin (non-browser clients) is allowed.
   */
  allowedOrigins?: string[];
  /**
   * Behind a reverse proxy: which hops' `X-Forwarded-For` to believe, so that the session's
   * `remoteAddress` (and `maxConnectionsPerAddress`) is the client's, not the proxy's. A hop count
   * (`1`: one proxy in front; the client is the right-most entry) or the proxies' addresses / CIDR
   * subnets (`['10.0.0.0/8']`; the client is the right-most entry not in the list, and only when
   * the socket's peer is in it). Default false: the header is ignored (any client can write it).
   * Express's `app.set('trust proxy')` does not reach WebSocket upgrades: set it here.
   */
  trustProxy?: TrustProxy;
}

/** An optional plain-TCP listener (stomp.py, the Ruby gem, Java clients...). */
export interface StompTcpOptions {
  /** Port to listen on; 0 picks a free one (read it back from `StompServerHost.tcpEndpoint`). */
  port: number;
  /** Interface to bind. Default '127.0.0.1' (local only: opt in to '0.0.0.0' deliberately). */
  host?: string;
}

/** The embedded in-memory broker (Spring's "simple broker", with real queues, acks and transactions). */
export interface StompSimpleBrokerOptions {
  type: 'simple';
  /** Destinations the broker serves. Default ['/topic', '/queue']. */
  destinationPrefixes?: string[];
  /** Prefixes with queue semantics (competing consumers, held while nobody subscribes). Default ['/queue']. */
  queuePrefixes?: string[];
  /** Heart-beat the server offers in CONNECTED: [can send every, wants every] ms; 0 disables. Default [10000, 10000]. */
  heartbeat?: [number, number];
  /** Most messages one queue holds (waiting or unacknowledged) before SEND fails. Default 10000. */
  maxQueuedMessages?: number;
  /** Most queues kept at once (empty, unconsumed ones are dropped and do not count); 0: no limit. Default 100000. */
  maxQueues?: number;
}

/**
 * The relay to an external STOMP broker (RabbitMQ, ActiveMQ): Spring's `enableStompBrokerRelay`.
 * Broker destinations live in the external broker; controllers, `@SendTo`, `/user/...` and the
 * template do not change. Defaults are Spring's.
 */
export interface StompRelayBrokerOptions {
  type: 'relay';
  /** Destinations the external broker serves (passed through). Default ['/topic', '/queue']. */
  destinationPrefixes?: string[];
  /** Broker address. Default '127.0.0.1'. */
  host?: string;
  /** Default 61613. */
  port?: number;
  /** Failover: further broker addresses, tried in order after host:port. Default none. */
  hosts?: RelayHost[];
  /** Credentials of every client's broker connection. Default 'guest' / 'guest'. */
  clientLogin?: string;
  clientPasscode?: string;
  /** Credentials of the shared system connection. Default 'guest' / 'guest'. */
  systemLogin?: string;
  systemPasscode?: string;
  /** `host` header of CONNECT (RabbitMQ virtual host). Default: none (the broker's default). */
  virtualHost?: string;
  /** System connection heart-beats [send every, expect every] ms. Default [10000, 10000]. */
  systemHeartbeat?: [number, number];
  /** Client connections' heart-beats to the broker. Default [10000, 10000]. */
  clientHeartbeat?: [number, number];
  /** Delay between reconnect attempts of the system connection (ms). Default 5000. */
  reconnectDelay?: number;
  /** Longest wait for the broker's CONNECTED (ms). Default 60000. */
  connectTimeout?: number;
  /** TLS to the broker: true, or node:tls connect options. Default off. */
  tls?: StompBrokerRelayInit['tls'];
  /** Largest frame accepted from the broker (bytes). Default 4 MiB. */
  maxFrameSize?: number;
  /** Topic carrying user messages between app instances; false: off. Default '/topic/nest-stomp.user-destination'. */
  userDestinationBroadcast?: string | false;
  /** Topic where app instances share their user registries; false: off. Default '/topic/nest-stomp.user-registry'. */
  userRegistryBroadcast?: string | false;
  /** Another instance's registry snapshot not renewed within this many ms is dropped. Default 20000. */
  registryExpirationPeriod?: number;
  /** Longest wait (ms) of a MESSAGE for the next ones to a client written to moments ago, so a stream leaves in fewer writes and broker reads; 0: off. Default 1. */
  linger?: number;
  /** Heart-beat the server offers its own clients in CONNECTED. Default [10000, 10000]. */
  heartbeat?: [number, number];
}

/** Broker choices: the embedded broker or the relay to RabbitMQ / ActiveMQ. */
export type StompBrokerOptions = StompSimpleBrokerOptions | StompRelayBrokerOptions;

/** Options of `StompModule.forRoot()` / the factory of `StompModule.forRootAsync()`. */
export interface StompModuleOptions {
  /** WebSocket endpoint on the app's HTTP server; `false` serves no WebSocket (TCP only). Default { path: '/ws' }. */
  endpoint?: StompEndpointOptions | false;
  /** Plain-TCP listener; none unless set. */
  tcp?: StompTcpOptions;
  /** Destinations routed to @MessageMapping handlers. Default ['/app']. */
  applicationDestinationPrefixes?: string[];
  /** Prefix of user destinations (`/user/queue/errors`). Default '/user'. */
  userDestinationPrefix?: string;
  /** Default { type: 'simple' }. */
  broker?: StompBrokerOptions;

  // Core limits, passed through to the StompServer (defaults are Spring's where Spring has one).
  /** Decoder limits: maxFrameSize (64 KiB), maxHeaders (64), maxHeaderLength (8 KiB). */
  limits?: StompServerInit['limits'];
  /** A connection must send CONNECT within this many ms. Default 60000. */
  timeToFirstFrame?: number;
  /** Most bytes queued for one slow client before it is closed. Default 512 KiB. */
  sendBufferSizeLimit?: number;
  /** Longest a client may keep the server waiting on a full send buffer (ms). Default 10000. */
  sendTimeLimit?: number;
  /** A peer silent for longer than the negotiated heart-beat times this factor is closed. Default 3. */
  heartbeatTolerance?: number;
  /** Most open transactions per session. Default 16. */
  maxTransactionsPerSession?: number;
  /** Most frames one transaction may buffer. Default 1000. */
  maxFramesPerTransaction?: number;
  /** Most subscriptions one session may hold. Default 1000. */
  maxSubscriptionsPerSession?: number;
  /**
   * Runs on CONNECT before CONNECTED; the principal it returns becomes `session.principal` (its name
   * addresses `/user/...` destinations and is what `@Principal()` injects). Default: anonymous sessions.
   */
  authenticate?: StompServerInit['authenticate'];
  /**
   * An authenticator provider class (resolved through DI) or instance, implementing
   * `StompAuthenticator`; the Nest way to write `authenticate`. Use one of the two.
   */
  authenticator?: Type<StompAuthenticator> | StompAuthenticator;
  /**
   * Destination rules: frame types + destination patterns → permit, deny, authenticated, a voter, or
   * guard classes (resolved through DI). First match wins; once there is a rule, what no rule
   * matches is denied, CONNECT included. Default: none (nothing checked).
   */
  rules?: StompDestinationRule[];
  /** CSRF token check on CONNECT for WebSocket handshakes that carry cookies (`true`: XSRF-TOKEN / X-XSRF-TOKEN). Default off. */
  csrf?: StompServerInit['csrf'];
  /** Most open connections in total (0: no limit). Default 10000. */
  maxConnections?: number;
  /**
   * Most open connections from one remote address (0: no limit). Default 0 (proxies and NATs share
   * addresses). Behind a reverse proxy, set `endpoint.trustProxy` too, or every client counts as the proxy.
   */
  maxConnectionsPerAddress?: number;
  /**
   * true (default): a session's frames take effect in order, each waiting for the previous frame's
   * (async) handler; a SEND's RECEIPT comes after its handler finished. false: later frames do not wait.
   */
  preserveReceiveOrder?: boolean;
  /** Channel interceptors (Spring's ChannelInterceptor) on every inbound and outbound frame. */
  interceptors?: StompServerInit['interceptors'];
}

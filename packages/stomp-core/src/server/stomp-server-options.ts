import type { CodecLimits } from '../codec/codec-limits.js';
import { DEFAULT_CODEC_LIMITS } from '../codec/codec-limits.js';
import type { SimpleBrokerOptions } from '../broker/simple-broker-options.js';
import { DEFAULT_SIMPLE_BROKER_OPTIONS } from '../broker/simple-broker-options.js';
import type { ChannelInterceptor } from '../session/channel-interceptor.js';
import type { StompAuthenticator } from '../session/stomp-authenticator.js';
import type { CsrfOptions } from '../security/csrf-check.js';
import type { DestinationRule } from '../security/destination-rule.js';
import type { StompBrokerRelayInit } from '../relay/relay-options.js';

/**
 * Options of a StompServer. Every limit has a default (Spring's where Spring has one); all are
 * documented in the README's options table.
 */
export interface StompServerOptions {
  /** Heart-beat the server offers in CONNECTED: [sx (can send every), sy (wants every)] ms. 0 disables. Default [10000, 10000]. */
  heartbeat: [number, number];
  /** A peer silent for longer than the negotiated interval times this factor is closed. Default 3 (Spring's). */
  heartbeatTolerance: number;
  /** `server` header of CONNECTED. */
  serverName: string;
  /** Decoder limits: frame size (64 KiB), header count (64), header line length (8 KiB). */
  limits: CodecLimits;
  /** A connection must send its CONNECT within this many ms. Default 60000. */
  timeToFirstFrame: number;
  /** Most bytes queued for one slow client before it is closed. Default 512 KiB. */
  sendBufferSizeLimit: number;
  /** Longest a client may keep the server waiting on a full send buffer before it is closed (ms). Default 10000. */
  sendTimeLimit: number;
  /** Most open transactions per session. Default 16. */
  maxTransactionsPerSession: number;
  /** Most frames (SEND/ACK/NACK) one transaction may buffer. Default 1000. */
  maxFramesPerTransaction: number;
  /** Embedded broker options. */
  broker: SimpleBrokerOptions;
  /**
   * Prefix of user destinations (Spring's): SUBSCRIBE `/user/queue/x` is private to the session,
   * a send to `/user/alice/queue/x` reaches every session of alice. Default '/user'.
   */
  userDestinationPrefix: string;
  /** Runs on CONNECT before CONNECTED; its result becomes `session.principal`. Default: none (anonymous sessions). */
  authenticate?: StompAuthenticator | undefined;
  /**
   * true (default): a session's frames take effect one after the other, a frame waiting for the
   * previous one's async (application) handler. false: later frames do not wait for async
   * handlers (an async CONNECT is always waited for).
   */
  preserveReceiveOrder: boolean;
  /** Channel interceptors on every inbound and outbound frame, run in order. Default: none. */
  interceptors?: ChannelInterceptor[] | undefined;
  /**
   * Destination rules, first match wins; once there is one, what no rule matches is denied.
   * Default: none (every frame permitted, nothing checked).
   */
  rules?: DestinationRule[] | undefined;
  /** CSRF token check on CONNECT for WebSocket handshakes that carry cookies (`true`: default names). Default off. */
  csrf?: CsrfOptions | boolean | undefined;
  /** Most open connections in total; past it a new one gets ERROR (WebSocket: HTTP 503). 0: no limit. Default 10000. */
  maxConnections: number;
  /**
   * Most open connections from one remote address. 0: no limit (default: behind a proxy or a NAT
   * many users share one address; set it when clients connect directly, or behind a proxy with the
   * WebSocket endpoint's `trustProxy`, which makes the forwarded address the one counted).
   */
  maxConnectionsPerAddress: number;
}

/** What callers pass: any subset, nested objects merged with the defaults. */
export type StompServerInit = Partial<Omit<StompServerOptions, 'limits' | 'broker'>> & {
  limits?: Partial<CodecLimits>;
  broker?: Partial<SimpleBrokerOptions>;
  /** Relay broker destinations to an external broker (RabbitMQ, ActiveMQ) instead of the embedded broker. */
  relay?: StompBrokerRelayInit;
};

export const DEFAULT_STOMP_SERVER_OPTIONS: Readonly<StompServerOptions> = Object.freeze({
  heartbeat: [10_000, 10_000] as [number, number],
  heartbeatTolerance: 3,
  serverName: 'nest-stomp/0.1.0',
  limits: DEFAULT_CODEC_LIMITS,
  timeToFirstFrame: 60_000,
  sendBufferSizeLimit: 512 * 1024,
  sendTimeLimit: 10_000,
  maxTransactionsPerSession: 16,
  maxFramesPerTransaction: 1_000,
  broker: DEFAULT_SIMPLE_BROKER_OPTIONS,
  userDestinationPrefix: '/user',
  preserveReceiveOrder: true,
  maxConnections: 10_000,
  maxConnectionsPerAddress: 0,
});

export function resolveServerOptions(init: StompServerInit = {}): StompServerOptions {
  // An option given as undefined takes its default (configuration layers pass `x: config.x`).
  const given: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(init)) if (value !== undefined) given[name] = value;
  for (const name of ['maxConnections', 'maxConnectionsPerAddress'] as const) {
    const value = given[name];
    if (value !== undefined && (typeof value !== 'number' || !Number.isInteger(value) || value < 0)) {
      throw new TypeError(`${name} must be a non-negative integer (0: no limit), got ${String(value)}`);
    }
  }
  return {
    ...DEFAULT_STOMP_SERVER_OPTIONS,
    ...given,
    limits: { ...DEFAULT_CODEC_LIMITS, ...init.limits },
    broker: { ...DEFAULT_SIMPLE_BROKER_OPTIONS, ...init.broker },
  } as StompServerOptions;
}

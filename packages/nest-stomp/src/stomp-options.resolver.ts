import { ProxyTrust, type StompServerInit, type TrustProxy } from '@nest-stomp/core';
import type { Type } from '@nestjs/common';
import type { StompBrokerOptions, StompModuleOptions } from './interfaces/stomp-module-options.interface.js';
import type { StompAuthenticator } from './security/stomp-authenticator.interface.js';
import type { StompDestinationRule } from './security/stomp-destination-rule.interface.js';

/** Module options with the module-level defaults applied (the core applies its own to the rest). */
export interface ResolvedStompModuleOptions {
  endpoint: { path: string; allowedOrigins: string[] | undefined; trustProxy: TrustProxy | undefined } | false;
  tcp: { port: number; host: string } | undefined;
  applicationDestinationPrefixes: string[];
  userDestinationPrefix: string;
  broker: StompBrokerOptions;
  /** What the core StompServer is constructed with. */
  server: StompServerInit;
  /** Installed by StompSecurityBinder once DI can resolve the classes in them. */
  security: {
    authenticator: Type<StompAuthenticator> | StompAuthenticator | undefined;
    rules: StompDestinationRule[] | undefined;
  };
}

export const DEFAULT_ENDPOINT_PATH = '/ws';
export const DEFAULT_TCP_HOST = '127.0.0.1';

/**
 * Validates and completes the options once, at module start: a mistake in them should stop the
 * app at boot with a message naming the option, not surface as odd behaviour on the first frame.
 */
export function resolveStompModuleOptions(options: StompModuleOptions = {}): ResolvedStompModuleOptions {
  const broker = options.broker ?? { type: 'simple' };
  // Plain JS callers and forRootAsync factories are not type-checked.
  const type = (broker as { type?: unknown }).type;
  if (type !== 'simple' && type !== 'relay') {
    throw new TypeError(`StompModule: broker.type must be 'simple' or 'relay' (got ${JSON.stringify(type)})`);
  }
  const endpoint =
    options.endpoint === false
      ? false
      : {
          path: normalisePath(options.endpoint?.path),
          allowedOrigins: checkOrigins(options.endpoint?.allowedOrigins),
          trustProxy: checkTrustProxy(options.endpoint?.trustProxy),
        };
  if (options.authenticate !== undefined && options.authenticator !== undefined) {
    throw new TypeError('StompModule: give either authenticate (a function) or authenticator (a provider), not both');
  }
  if (options.rules !== undefined && !Array.isArray(options.rules)) throw new TypeError('StompModule: rules must be an array');
  const tcp = options.tcp ? { port: checkPort(options.tcp.port), host: options.tcp.host ?? DEFAULT_TCP_HOST } : undefined;

  const server: StompServerInit = {};
  // Spring puts the heart-beat on the broker registration; the core has it on the server.
  if (broker.heartbeat !== undefined) server.heartbeat = broker.heartbeat;
  const brokerInit: NonNullable<StompServerInit['broker']> = {};
  if (broker.type === 'relay') {
    // Everything but `type` and `heartbeat` is a relay option (the core checks the values).
    const { type: _type, heartbeat: _heartbeat, ...relay } = broker;
    server.relay = relay;
  } else {
    if (broker.destinationPrefixes !== undefined) brokerInit.destinationPrefixes = broker.destinationPrefixes;
    if (broker.queuePrefixes !== undefined) brokerInit.queuePrefixes = broker.queuePrefixes;
    if (broker.maxQueuedMessages !== undefined) brokerInit.maxQueuedMessages = broker.maxQueuedMessages;
    if (broker.maxQueues !== undefined) brokerInit.maxQueues = broker.maxQueues;
  }
  if (options.maxSubscriptionsPerSession !== undefined) {
    brokerInit.maxSubscriptionsPerSession = options.maxSubscriptionsPerSession;
  }
  server.broker = brokerInit;
  // Copy only what was given: an explicit `undefined` must not override a core default.
  for (const key of PASS_THROUGH) {
    if (options[key] !== undefined) (server as Record<string, unknown>)[key] = options[key];
  }

  return {
    endpoint,
    tcp,
    applicationDestinationPrefixes: options.applicationDestinationPrefixes ?? ['/app'],
    userDestinationPrefix: options.userDestinationPrefix ?? '/user',
    broker,
    server,
    security: { authenticator: options.authenticator, rules: options.rules },
  };
}

function checkOrigins(origins: string[] | undefined): string[] | undefined {
  if (origins === undefined) return undefined;
  if (!Array.isArray(origins) || origins.some((origin) => typeof origin !== 'string' || origin.length === 0)) {
    throw new TypeError('StompModule: endpoint.allowedOrigins must be an array of origins (or [\'*\'])');
  }
  return origins;
}

/** Fails at module setup rather than at bootstrap; the core checks the same when it attaches. */
function checkTrustProxy(trust: TrustProxy | undefined): TrustProxy | undefined {
  if (trust === undefined) return undefined;
  try {
    new ProxyTrust(trust);
  } catch (error) {
    throw new TypeError(`StompModule: endpoint.${(error as Error).message}`);
  }
  return trust;
}

const PASS_THROUGH = [
  'limits',
  'timeToFirstFrame',
  'sendBufferSizeLimit',
  'sendTimeLimit',
  'heartbeatTolerance',
  'maxTransactionsPerSession',
  'maxFramesPerTransaction',
  'userDestinationPrefix',
  'authenticate',
  'preserveReceiveOrder',
  'interceptors',
  'csrf',
  'maxConnections',
  'maxConnectionsPerAddress',
] as const satisfies ReadonlyArray<keyof StompModuleOptions & keyof StompServerInit>;

function normalisePath(path: string | undefined): string {
  if (path === undefined) return DEFAULT_ENDPOINT_PATH;
  if (!path.startsWith('/')) throw new TypeError(`StompModule: endpoint.path must start with '/' (got '${path}')`);
  return path;
}

function checkPort(port: number): number {
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new TypeError(`StompModule: tcp.port must be an integer in 0..65535 (got ${String(port)})`);
  }
  return port;
}

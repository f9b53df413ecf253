import { connect } from 'node:net';
import { randomBytes } from 'node:crypto';
import type { StompBrokerRelayInit } from '@nest-stomp/core';
import { startServer, type TestServer } from './test-server.js';
import { withTimeout } from './wait.js';
import type { StompServer, StompServerInit } from '@nest-stomp/core';

/** An external broker the relay tests run against (set up by .ci/run; see README). */
export interface ExternalBroker {
  readonly name: 'RabbitMQ' | 'ActiveMQ';
  readonly host: string;
  readonly port: number;
  /** How to set it up where it is missing. */
  readonly setup: string;
}

export const RABBITMQ: ExternalBroker = {
  name: 'RabbitMQ',
  host: '127.0.0.1',
  port: Number(process.env.RABBITMQ_STOMP_PORT ?? 61613),
  setup: 'rabbitmq-plugins enable rabbitmq_stomp (STOMP on 61613)',
};

export const ACTIVEMQ: ExternalBroker = {
  name: 'ActiveMQ',
  host: '127.0.0.1',
  port: Number(process.env.ACTIVEMQ_STOMP_PORT ?? 61623),
  setup: 'apt-get install activemq + a stomp://127.0.0.1:61623 transportConnector (see .ci/run)',
};

export const EXTERNAL_BROKERS: readonly ExternalBroker[] = [RABBITMQ, ACTIVEMQ];

/** True when the broker answers a STOMP CONNECT with CONNECTED (guest/guest) within 3 s. */
export function probeBroker(broker: ExternalBroker): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(broker.port, broker.host);
    let seen = '';
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), 3_000);
    socket.on('connect', () => socket.write('CONNECT\naccept-version:1.1,1.2\nlogin:guest\npasscode:guest\nheart-beat:0,0\n\n\0'));
    socket.on('data', (chunk) => {
      seen += chunk.toString();
      if (seen.includes('\0')) {
        clearTimeout(timer);
        done(seen.startsWith('CONNECTED'));
      }
    });
    socket.on('error', () => {
      clearTimeout(timer);
      done(false);
    });
  });
}

/**
 * `describe` for tests that need `broker`: outside CI a missing broker skips them with a visible
 * message; with CI=true it fails them instead (CI must have set the broker up).
 */
export function describeWithBroker(broker: ExternalBroker, available: boolean): jest.Describe | ((name: string, fn: () => void) => void) {
  if (available) return describe;
  const why = `${broker.name} STOMP is not answering on ${broker.host}:${broker.port} (${broker.setup})`;
  if (process.env.CI === 'true') {
    return (name: string) =>
      describe(name, () => {
        it(`needs ${broker.name}`, () => {
          throw new Error(`CI=true but ${why}`);
        });
      });
  }
  console.warn(`SKIPPED relay tests on ${broker.name}: ${why}`);
  return describe.skip;
}

/** Probes every external broker once (top-level await in the spec file). */
export async function probeAll(): Promise<Map<ExternalBroker, boolean>> {
  const results = await Promise.all(EXTERNAL_BROKERS.map(async (b) => [b, await probeBroker(b)] as const));
  return new Map(results);
}

/** A destination name nobody else uses (brokers keep queues across runs). */
export function unique(prefix: string): string {
  return `${prefix}${randomBytes(6).toString('hex')}`;
}

/** A test server relaying to `broker` (or to `relay.host/port` when given), once the broker is available. */
export async function startRelayServer(
  broker: ExternalBroker,
  relay: StompBrokerRelayInit = {},
  init: StompServerInit = {},
): Promise<TestServer> {
  const ts = await startServer({ ...init, relay: { host: broker.host, port: broker.port, reconnectDelay: 200, connectTimeout: 5_000, ...relay } });
  await withTimeout(ts.server.relay!.whenAvailable(), 5_000, `the relay's system session to ${broker.name}`);
  return ts;
}

/**
 * Resolves once `server`'s multi-server user registry lists `user` (`present`) or no longer does,
 * checked now and after each registry snapshot the server receives from another instance.
 */
export function registryShows(server: StompServer, user: string, present: boolean, timeoutMs = 5_000): Promise<void> {
  const relay = server.relay!;
  return withTimeout(
    new Promise<void>((resolve) => {
      const check = (): void => {
        if ((server.multiServerUserRegistry.getUser(user) !== undefined) !== present) return;
        relay.off('user-registry', onSnapshot);
        resolve();
      };
      // After the server's own listener has taken the snapshot in.
      const onSnapshot = (): void => queueMicrotask(check);
      relay.on('user-registry', onSnapshot);
      check();
    }),
    timeoutMs,
    `the registry to show ${user} ${present ? 'online' : 'gone'}`,
  );
}

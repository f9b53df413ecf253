import type { ConnectionOptions as TlsConnectionOptions } from 'node:tls';

/** One broker address; several make a failover list. */
export interface RelayHost {
  host: string;
  port: number;
}

/**
 * Options of the broker relay (Spring's StompBrokerRelayRegistration; defaults are Spring's).
 * Every client session gets its own connection to the broker; the application's own messages
 * (`@SendTo`, the template, user destinations) go over one shared "system" connection.
 */
export interface StompBrokerRelayOptions {
  /** Destinations the external broker serves; frames to them pass through. Default ['/topic', '/queue']. */
  destinationPrefixes: string[];
  /** Broker address. Default 127.0.0.1:61613. */
  host: string;
  port: number;
  /**
   * Failover: further addresses, tried in order after `host:port` when a connection fails. The
   * system connection moves to the next one on every failed attempt; client connections go to
   * where the system connection is.
   */
  hosts: RelayHost[];
  /** Login/passcode of every client connection (replacing what the client sent, as Spring does). Default guest/guest. */
  clientLogin: string;
  clientPasscode: string;
  /** Login/passcode of the system connection. Default guest/guest. */
  systemLogin: string;
  systemPasscode: string;
  /** `host` header of every CONNECT (RabbitMQ: the virtual host). Default: none (the broker's default). */
  virtualHost: string | undefined;
  /** Heart-beats of the system connection, [send every, expect every] ms; 0 disables. Default [10000, 10000]. */
  systemHeartbeat: [number, number];
  /** Heart-beats of client connections to the broker. Default [10000, 10000]. */
  clientHeartbeat: [number, number];
  /** Delay between attempts to (re)connect the system connection (ms). Default 5000 (Spring's). */
  reconnectDelay: number;
  /** Longest wait for the broker's CONNECTED (ms). Default 60000 (Spring's). */
  connectTimeout: number;
  /** TLS to the broker: `true` or node:tls connect options (ca, cert, servername, ...). Default off. */
  tls: boolean | TlsConnectionOptions;
  /** Most subscriptions one client session may hold on the broker. Default 1000 (the embedded broker's). */
  maxSubscriptionsPerSession: number;
  /** Largest frame accepted from the broker (bytes). Default 4 MiB (RabbitMQ's stomp.max_frame_size). */
  maxFrameSize: number;
  /**
   * Broker topic that carries user-destination messages between app instances relaying to the
   * same broker (Spring's userDestinationBroadcast): a message for alice sent by one instance
   * reaches alice's sessions on all of them. `false` turns it off. Default
   * '/topic/nest-stomp.user-destination'.
   */
  userDestinationBroadcast: string | false;
  /**
   * Broker topic where app instances share their user registries (Spring's userRegistryBroadcast):
   * `server.multiServerUserRegistry` then lists the users of every instance. A snapshot goes out
   * every `registryExpirationPeriod` / 2 ms and within a second of a user's first session connecting
   * or last one closing. `false` turns it off. Default '/topic/nest-stomp.user-registry'.
   */
  userRegistryBroadcast: string | false;
  /** A remote registry snapshot not renewed within this many ms is dropped; snapshots go out every half of it. Default 20000 (Spring's). */
  registryExpirationPeriod: number;
  /**
   * Longest wait (ms) of a MESSAGE for the ones after it, so that a client receiving a steady stream
   * gets them in one write instead of one write per read from its broker connection: a client
   * written to less than this long ago gets its next MESSAGEs this long later, together, and its
   * broker connection is not read meanwhile (what the broker sends then comes in one read); one idle
   * for longer gets them at once. RECEIPT and ERROR never wait. `0`: every MESSAGE leaves in the
   * event-loop turn it arrived. Default 1.
   */
  linger: number;
}

export type StompBrokerRelayInit = Partial<StompBrokerRelayOptions>;

export const DEFAULT_RELAY_OPTIONS: Readonly<StompBrokerRelayOptions> = Object.freeze({
  destinationPrefixes: ['/topic', '/queue'],
  host: '127.0.0.1',
  port: 61613,
  hosts: [],
  clientLogin: 'guest',
  clientPasscode: 'guest',
  systemLogin: 'guest',
  systemPasscode: 'guest',
  virtualHost: undefined,
  systemHeartbeat: [10_000, 10_000] as [number, number],
  clientHeartbeat: [10_000, 10_000] as [number, number],
  reconnectDelay: 5_000,
  connectTimeout: 60_000,
  tls: false,
  maxFrameSize: 4 * 1024 * 1024,
  maxSubscriptionsPerSession: 1_000,
  userDestinationBroadcast: '/topic/nest-stomp.user-destination',
  userRegistryBroadcast: '/topic/nest-stomp.user-registry',
  registryExpirationPeriod: 20_000,
  linger: 1,
});

export function resolveRelayOptions(init: StompBrokerRelayInit = {}): StompBrokerRelayOptions {
  const given: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(init)) if (value !== undefined) given[name] = value;
  const options = { ...DEFAULT_RELAY_OPTIONS, ...given } as StompBrokerRelayOptions;
  for (const name of ['port', 'reconnectDelay', 'connectTimeout', 'maxFrameSize', 'maxSubscriptionsPerSession', 'registryExpirationPeriod'] as const) {
    const value = options[name];
    if (!Number.isInteger(value) || value < 1) throw new RangeError(`Relay option ${name} must be a positive integer, got ${value}`);
  }
  if (!Number.isInteger(options.linger) || options.linger < 0) {
    throw new RangeError(`Relay option linger must be 0 or a positive integer (ms), got ${options.linger}`);
  }
  return options;
}

/** `host:port` first, then the failover hosts. */
export function relayAddresses(options: StompBrokerRelayOptions): RelayHost[] {
  return [{ host: options.host, port: options.port }, ...options.hosts];
}

import type { StompFrame, StompHeaders } from '../codec/stomp-frame.js';
import type { StompError } from '../errors/stomp.error.js';
import { BrokerConnection, brokerUnavailable, type BrokerConnectionHandler } from './broker-connection.js';
import { relayAddresses, type RelayHost, type StompBrokerRelayOptions } from './relay-options.js';

/** What the system session tells the relay. */
export interface SystemSessionListener {
  /** CONNECTED (again): the broker is available. */
  available(address: RelayHost): void;
  /** The connection was lost (or an attempt failed while it was up): not available until the next CONNECTED. */
  unavailable(error: StompError | undefined): void;
  /** A MESSAGE for one of the system session's own subscriptions. */
  message(frame: StompFrame): void;
  /** An attempt to connect failed (the broker was not available before either). */
  attemptFailed(error: StompError | undefined): void;
}

/** Subscription id of the system session's own subscriptions. */
export const SYSTEM_SUBSCRIPTION_PREFIX = 'system-';

/**
 * The relay's shared "system" connection (Spring's system session, `_system_`): carries what the
 * application sends (`@SendTo`, the template, user destinations) and the relay's own
 * subscriptions; decides whether the broker counts as available. Reconnects every
 * `reconnectDelay` ms until it succeeds: on a failure it tries the next failover host at once,
 * and waits the delay after a whole round of hosts failed.
 */
export class RelaySystemSession implements BrokerConnectionHandler {
  private connection: BrokerConnection | undefined;
  private readonly addresses: RelayHost[];
  private next = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private up = false;
  /** Subscriptions the system session keeps across reconnects: id → destination. */
  private readonly own = new Map<string, string>();

  constructor(
    private readonly options: StompBrokerRelayOptions,
    private readonly listener: SystemSessionListener,
  ) {
    this.addresses = relayAddresses(options);
  }

  get available(): boolean {
    return this.up;
  }

  /** Where the system session is connected (client connections go there too). */
  get address(): RelayHost | undefined {
    return this.up ? this.connection?.address : undefined;
  }

  start(): void {
    this.stopped = false;
    if (this.connection === undefined && this.timer === undefined) this.attempt();
  }

  /** SEND from the application. Throws BROKER_UNAVAILABLE while the broker is down. */
  send(destination: string, headers: StompHeaders, body: Buffer): void {
    const connection = this.connection;
    if (!this.up || connection === undefined) throw brokerUnavailable('The relay has no connection to the broker');
    connection.send('SEND', { ...headers, destination }, body);
  }

  /** A subscription of the relay itself (user-destination broadcast), renewed on every reconnect. */
  subscribe(name: string, destination: string): void {
    const id = SYSTEM_SUBSCRIPTION_PREFIX + name;
    this.own.set(id, destination);
    if (this.up) this.connection!.send('SUBSCRIBE', { id, destination, ack: 'auto' });
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    const connection = this.connection;
    this.connection = undefined;
    connection?.disconnect();
    if (this.up) {
      this.up = false;
      this.listener.unavailable(undefined);
    }
  }

  private attempt(): void {
    this.timer = undefined;
    if (this.stopped) return;
    const address = this.addresses[this.next % this.addresses.length]!;
    const headers: StompHeaders = { login: this.options.systemLogin, passcode: this.options.systemPasscode };
    if (this.options.virtualHost !== undefined) headers.host = this.options.virtualHost;
    const connection = new BrokerConnection(
      {
        address,
        tls: this.options.tls,
        connectHeaders: headers,
        heartbeat: this.options.systemHeartbeat,
        connectTimeout: this.options.connectTimeout,
        maxFrameSize: this.options.maxFrameSize,
      },
      this,
    );
    this.connection = connection;
    connection.ready
      // The relay's own subscriptions are in effect (RECEIPT) before the broker counts as available.
      .then(() => Promise.all([...this.own].map(([id, destination]) => connection.request('SUBSCRIBE', { id, destination, ack: 'auto' }, undefined))))
      .then(
        () => {
          if (this.connection !== connection || this.stopped) return;
          this.up = true;
          this.listener.available(address);
        },
        () => undefined, // onClose follows and schedules the next attempt
      );
  }

  onMessage(frame: StompFrame): void {
    // The body is a view of the connection's read buffer; a user message's body travels on (events, deliveries).
    const body = frame.body.length === 0 ? frame.body : Buffer.from(frame.body);
    this.listener.message({ command: frame.command, headers: frame.headers, body });
  }

  onError(): void {
    // onClose follows: the broker closes after ERROR.
  }

  onClose(error: StompError | undefined): void {
    this.connection = undefined;
    if (this.stopped) return;
    this.next++; // failover: the next attempt tries the next host
    if (this.up) {
      this.up = false;
      this.listener.unavailable(error);
      // Right away once (the broker may have restarted or a failover host be up), then every delay.
      this.timer = setTimeout(() => this.attempt(), 0).unref();
      return;
    }
    if (this.next % this.addresses.length !== 0) {
      // Failover: the next host at once; the delay comes after a whole round of hosts failed.
      this.timer = setTimeout(() => this.attempt(), 0).unref();
      return;
    }
    this.listener.attemptFailed(error);
    this.timer = setTimeout(() => this.attempt(), this.options.reconnectDelay).unref();
  }
}

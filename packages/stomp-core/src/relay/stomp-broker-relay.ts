import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { isUnderAnyPrefix } from '../broker/broker-options.util.js';
import type { AckMode, BrokerClient, BrokerMessage, MessageBroker } from '../broker/message-broker.js';
import type { StompFrame, StompHeaders } from '../codec/stomp-frame.js';
import type { StompError } from '../errors/stomp.error.js';
import { brokerUnavailable } from './broker-connection.js';
import { RelayClientSession } from './relay-client-session.js';
import { resolveRelayOptions, type RelayHost, type StompBrokerRelayInit, type StompBrokerRelayOptions } from './relay-options.js';
import { RelaySystemSession, SYSTEM_SUBSCRIPTION_PREFIX } from './relay-system-session.js';

export interface StompBrokerRelayEvents {
  /** The system connection is up (again): clients can connect, the application can send. */
  'broker-available': [address: RelayHost];
  /** The system connection was lost: client CONNECTs and application sends fail until it is back. */
  'broker-unavailable': [error: StompError | undefined];
  /** A user-destination message broadcast by another app instance (Spring's userDestinationBroadcast). */
  'user-message': [message: RelayedUserMessage];
  /** Another app instance's user registry snapshot (JSON text; Spring's userRegistryBroadcast). */
  'user-registry': [instance: string, snapshot: string];
}

/** A message for `/user/{user}{destination}` that another instance published. */
export interface RelayedUserMessage {
  readonly user: string;
  /** Without the user prefix: `/queue/x`. */
  readonly destination: string;
  readonly sessionId: string | undefined;
  readonly headers: StompHeaders;
  readonly body: Buffer;
}

// Headers of a broadcast user message (removed before local delivery).
const H_ORIGIN = 'x-nest-stomp-origin';
const H_USER = 'x-nest-stomp-user';
const H_DESTINATION = 'x-nest-stomp-destination';
const H_SESSION = 'x-nest-stomp-session';
/** Headers a broker adds to a MESSAGE; not part of what the sender sent. */
const BROKER_MESSAGE_HEADERS = new Set([
  'destination', 'message-id', 'subscription', 'ack', 'content-length', 'redelivered', 'receipt',
  H_ORIGIN, H_USER, H_DESTINATION, H_SESSION,
]);

/**
 * The relay to an external STOMP broker (Spring's StompBrokerRelayMessageHandler): a
 * MessageBroker whose destinations live in RabbitMQ or ActiveMQ. Every client session gets its
 * own broker connection (addClient), the application sends over the system session (publish
 * without a client). Emits broker-available / broker-unavailable; never logs.
 */
export class StompBrokerRelay extends EventEmitter<StompBrokerRelayEvents> implements MessageBroker {
  readonly options: StompBrokerRelayOptions;
  /** Tells this instance's broadcasts from the others'. */
  readonly instanceId = randomBytes(9).toString('base64url');
  private readonly system: RelaySystemSession;
  private readonly sessions = new Map<BrokerClient, RelayClientSession>();
  private closed = false;

  constructor(init: StompBrokerRelayInit = {}) {
    super();
    this.options = resolveRelayOptions(init);
    this.system = new RelaySystemSession(this.options, {
      available: (address) => this.emit('broker-available', address),
      unavailable: (error) => this.emit('broker-unavailable', error),
      message: (frame) => this.onSystemMessage(frame),
      attemptFailed: () => this.settleStart?.(),
    });
    const broadcast = this.options.userDestinationBroadcast;
    if (broadcast !== false) this.system.subscribe('user-destination', broadcast);
    const registry = this.options.userRegistryBroadcast;
    if (registry !== false) this.system.subscribe('user-registry', registry);
  }

  /** Connects the system session (and keeps reconnecting). Idempotent. */
  start(): void {
    if (this.closed || this.starting !== undefined) return;
    // Clients that connect while the very first attempt is under way wait for its outcome
    // instead of being refused: an app that just started is not "down".
    this.starting = new Promise<void>((resolve) => {
      this.settleStart = () => {
        this.settleStart = undefined;
        resolve();
      };
    });
    this.once('broker-available', () => this.settleStart?.());
    this.system.start();
  }

  private starting: Promise<void> | undefined;
  private readonly waiting = new Set<BrokerClient>();
  private settleStart: (() => void) | undefined;

  get available(): boolean {
    return this.system.available;
  }

  /** The broker address the system session is connected to (undefined while unavailable). */
  get systemAddress(): RelayHost | undefined {
    return this.system.address;
  }

  /** Resolves once the broker is available (at once when it is). */
  whenAvailable(): Promise<void> {
    if (this.available) return Promise.resolve();
    return new Promise((resolve) => this.once('broker-available', () => resolve()));
  }

  isBrokerDestination(destination: string): boolean {
    return isUnderAnyPrefix(destination, this.options.destinationPrefixes);
  }

  /** Opens the client's own broker connection; the session's CONNECTED waits for the broker's. */
  addClient(client: BrokerClient): Promise<void> {
    if (this.settleStart !== undefined) {
      this.waiting.add(client);
      return this.starting!.then(() => {
        // Gone while we waited (removeClient took it out): nothing to connect.
        if (this.waiting.delete(client)) return this.addClient(client);
      });
    }
    const address = this.system.address;
    // Spring: while the system session is down, clients are refused ("Broker not available").
    if (address === undefined || this.closed) return Promise.reject(brokerUnavailable());
    const session = new RelayClientSession(client, this.options, address);
    this.sessions.set(client, session);
    return session.connection.ready;
  }

  removeClient(client: BrokerClient): void {
    this.waiting.delete(client);
    const session = this.sessions.get(client);
    if (session === undefined) return;
    this.sessions.delete(client);
    session.close();
  }

  disconnectClient(client: BrokerClient): Promise<void> | undefined {
    return this.sessions.get(client)?.disconnect();
  }

  subscribe(client: BrokerClient, id: string, destination: string, ack: AckMode, headers: StompHeaders): void | Promise<void> {
    return this.sessionOf(client).subscribe(id, destination, ack, headers);
  }

  unsubscribe(client: BrokerClient, id: string, headers?: StompHeaders): void | Promise<void> {
    return this.sessionOf(client).unsubscribe(id, headers);
  }

  /** From a client: over its own connection. From the application: over the system session (throws BROKER_UNAVAILABLE while down). */
  publish(message: BrokerMessage, client?: BrokerClient, headers?: StompHeaders): void | Promise<void> {
    if (client !== undefined) {
      const session = this.sessions.get(client);
      if (session !== undefined) return session.send(message, headers);
    }
    this.system.send(message.destination, message.headers, message.body);
  }

  ack(client: BrokerClient, messageId: string, headers?: StompHeaders): void | Promise<void> {
    return this.sessionOf(client).ack('ACK', messageId, headers);
  }

  nack(client: BrokerClient, messageId: string, headers?: StompHeaders): void | Promise<void> {
    return this.sessionOf(client).ack('NACK', messageId, headers);
  }

  /**
   * A closed session's user queue: the external broker owns queue lifetimes (RabbitMQ queue TTL
   * policies, ActiveMQ's gcInactiveDestinations), STOMP has no frame to delete a queue. Nothing to do.
   */
  dropQueue(): void {}

  /**
   * Sends a user-destination message to the other app instances (they deliver it to their own
   * sessions of `user`). False when broadcasting is off. Throws BROKER_UNAVAILABLE while down.
   */
  broadcastToUser(user: string, destination: string, headers: StompHeaders, body: Buffer, sessionId?: string): boolean {
    const topic = this.options.userDestinationBroadcast;
    if (topic === false) return false;
    const out: StompHeaders = { ...headers, [H_ORIGIN]: this.instanceId, [H_USER]: user, [H_DESTINATION]: destination };
    if (sessionId !== undefined) out[H_SESSION] = sessionId;
    this.system.send(topic, out, body);
    return true;
  }

  /** Sends this instance's user registry snapshot to the others. False when off or while the broker is down. */
  broadcastRegistry(snapshot: string): boolean {
    const topic = this.options.userRegistryBroadcast;
    if (topic === false || !this.available) return false;
    this.system.send(topic, { 'content-type': 'application/json', [H_ORIGIN]: this.instanceId }, Buffer.from(snapshot));
    return true;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.settleStart?.();
    for (const session of this.sessions.values()) session.close();
    this.sessions.clear();
    this.system.stop();
  }

  private sessionOf(client: BrokerClient): RelayClientSession {
    const session = this.sessions.get(client);
    if (session === undefined) throw brokerUnavailable('The client has no connection to the broker');
    return session;
  }

  private onSystemMessage(frame: StompFrame): void {
    const h = frame.headers;
    if (h.subscription === `${SYSTEM_SUBSCRIPTION_PREFIX}user-registry`) {
      const origin = h[H_ORIGIN];
      if (origin !== undefined && origin !== this.instanceId) this.emit('user-registry', origin, frame.body.toString());
      return;
    }
    const user = h[H_USER];
    const destination = h[H_DESTINATION];
    if (h[H_ORIGIN] === this.instanceId || user === undefined || destination === undefined) return; // our own, or not ours to read
    const headers: StompHeaders = {};
    for (const name in h) if (!BROKER_MESSAGE_HEADERS.has(name) && name !== '__proto__') headers[name] = h[name]!;
    this.emit('user-message', { user, destination, sessionId: h[H_SESSION], headers, body: frame.body });
  }
}

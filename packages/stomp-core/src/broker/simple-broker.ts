import type { StompHeaders } from '../codec/stomp-frame.js';
import { StompErrorCode } from '../errors/error-codes.js';
import { StompLimitError } from '../errors/stomp-limit.error.js';
import { StompProtocolError } from '../errors/stomp-protocol.error.js';
import { Deque } from '../util/deque.js';
import { isPattern } from '../util/destination-pattern.js';
import { checkPositiveInteger, isUnderAnyPrefix, parsePrefetchCount } from './broker-options.util.js';
import type { BrokerQueue } from './broker-queue.js';
import { BrokerDelivery, BrokerSubscription, ClientState, parseSequence, trackDelivery, untrackDelivery } from './broker-subscription.js';
import { QueueDispatcher } from './queue-dispatcher.js';
import type { AckMode, BrokerClient, BrokerMessage, MessageBroker } from './message-broker.js';
import { DEFAULT_SIMPLE_BROKER_OPTIONS, type SimpleBrokerOptions } from './simple-broker-options.js';
import { SubscriptionRegistry } from './subscription-registry.js';

const ACK_MODES: ReadonlySet<string> = new Set(['auto', 'client', 'client-individual']);

/** A topic publish made while another fan-out runs (from inside deliver()): done right after it. */
interface DeferredFanOut {
  readonly subscriptions: readonly BrokerSubscription[];
  readonly message: BrokerMessage;
}

/**
 * The embedded in-memory broker. Topics fan out to every matching subscription (patterns
 * included); queues hand each message to one consumer (round-robin), hold messages while no
 * consumer can take them (bounded), and take back NACKed and unacknowledged messages.
 *
 * Everything is synchronous: deliveries happen inside publish/subscribe/ack/nack/unsubscribe.
 * A client's deliver() may re-enter the broker (unsubscribe, removeClient, publish, ack):
 * - subscription lists are snapshots and an inactive subscription is skipped, so a fan-out never
 *   delivers to a subscription removed during it;
 * - a topic publish made during a fan-out is queued and fanned out after it, so every subscriber
 *   sees messages in publish order;
 * - a queue that is handing out messages lets the running loop deliver whatever nested calls add;
 * - a queue delivery whose deliver() removes its own consumer (a session closing on a full send
 *   buffer) counts as not received: it goes back to the front of the queue, redelivered.
 */
export class SimpleBroker implements MessageBroker {
  readonly options: Readonly<SimpleBrokerOptions>;
  private readonly clients = new Map<BrokerClient, ClientState>();
  private readonly topics: SubscriptionRegistry<BrokerSubscription>;
  private readonly queues: QueueDispatcher;
  private readonly deferred = new Deque<DeferredFanOut>();
  private fanningOut = false;
  private subscriptions = 0;
  private dropped = 0;
  private messageSequence = 0;

  constructor(options: Partial<SimpleBrokerOptions> = {}) {
    const merged = { ...DEFAULT_SIMPLE_BROKER_OPTIONS, ...options };
    this.options = Object.freeze({
      ...merged,
      destinationPrefixes: [...merged.destinationPrefixes],
      queuePrefixes: [...merged.queuePrefixes],
      maxQueuedMessages: checkPositiveInteger('maxQueuedMessages', merged.maxQueuedMessages),
      maxSubscriptionsPerSession: checkPositiveInteger('maxSubscriptionsPerSession', merged.maxSubscriptionsPerSession),
    });
    this.topics = new SubscriptionRegistry({ cacheLimit: merged.cacheLimit });
    this.queues = new QueueDispatcher(this.options.maxQueuedMessages, this.options.maxQueues);
  }

  // ---- MessageBroker ------------------------------------------------------------------------

  /** The destination is one of `destinationPrefixes` or below it (prefix + `/` or `.`). */
  isBrokerDestination(destination: string): boolean {
    return isUnderAnyPrefix(destination, this.options.destinationPrefixes);
  }

  /** The destination has queue semantics (under one of `queuePrefixes`). */
  isQueueDestination(destination: string): boolean {
    return isUnderAnyPrefix(destination, this.options.queuePrefixes);
  }

  addClient(client: BrokerClient): void {
    if (!this.clients.has(client)) this.clients.set(client, new ClientState(client));
  }

  removeClient(client: BrokerClient): void {
    const owner = this.clients.get(client);
    if (owner === undefined) return;
    // Forget the client first: calls re-entering from the deliveries below see it gone.
    this.clients.delete(client);
    const subscriptions = [...owner.subscriptions.values()];
    owner.subscriptions.clear();
    for (const subscription of subscriptions) this.deactivate(subscription);
    // Unacknowledged queue messages return per queue in this client's delivery order (sequence order).
    const unacked: BrokerDelivery[] = [];
    for (const subscription of subscriptions) {
      if (subscription.queue !== undefined) for (let d = subscription.pending.first; d !== undefined; d = d.next) unacked.push(d);
    }
    unacked.sort((a, b) => a.sequence - b.sequence);
    const returned = new Map<BrokerQueue, BrokerDelivery[]>();
    for (const delivery of unacked) appendTo(returned, delivery.subscription.queue!, delivery);
    owner.pending.clear();
    for (const subscription of subscriptions) {
      subscription.pending.clear();
      // The in-flight auto delivery is the newest of its queue for this client: it goes last.
      if (subscription.inFlight !== undefined) appendTo(returned, subscription.queue!, subscription.inFlight);
      subscription.inFlight = undefined;
    }
    for (const [queue, deliveries] of returned) queue.returnToFront(deliveries);
    for (const subscription of subscriptions) if (subscription.queue !== undefined) this.queues.drain(subscription.queue);
  }

  subscribe(client: BrokerClient, id: string, destination: string, ack: AckMode, headers: StompHeaders): void {
    const owner = this.clients.get(client);
    if (owner === undefined) throw new StompProtocolError(StompErrorCode.NOT_CONNECTED, 'Client is not attached to the broker');
    if (owner.subscriptions.has(id)) {
      throw new StompProtocolError(StompErrorCode.DUPLICATE_SUBSCRIPTION, `Subscription id '${id}' is already in use`);
    }
    if (owner.subscriptions.size >= this.options.maxSubscriptionsPerSession) {
      throw new StompLimitError(StompErrorCode.LIMIT_EXCEEDED, `Too many subscriptions (limit ${this.options.maxSubscriptionsPerSession})`);
    }
    if (!ACK_MODES.has(ack)) {
      throw new StompProtocolError(StompErrorCode.INVALID_HEADER, `Invalid ack mode '${ack}' (auto, client or client-individual)`);
    }
    const prefetch = parsePrefetchCount(headers['prefetch-count']);
    if (!this.isQueueDestination(destination)) {
      // Topics hold nothing: a client-ack subscription at its window misses messages (counted in droppedCount).
      const window = ack === 'auto' ? 0 : prefetch || this.options.maxQueuedMessages;
      const subscription = new BrokerSubscription(id, destination, ack, headers, client, owner, undefined, window);
      this.topics.add(subscription); // throws INVALID_HEADER on a malformed pattern, before any change
      owner.subscriptions.set(id, subscription);
      this.subscriptions++;
      return;
    }
    if (isPattern(destination)) {
      throw new StompProtocolError(
        StompErrorCode.INVALID_HEADER,
        `Queue destinations are exact: wildcards are not allowed in '${destination}' (use a topic to subscribe by pattern)`,
      );
    }
    const queue = this.queues.queueFor(destination);
    const subscription = new BrokerSubscription(id, destination, ack, headers, client, owner, queue, ack === 'auto' ? 0 : prefetch);
    owner.subscriptions.set(id, subscription);
    queue.addConsumer(subscription);
    this.subscriptions++;
    this.queues.drain(queue); // messages held while nobody subscribed
  }

  unsubscribe(client: BrokerClient, id: string): void {
    const owner = this.clients.get(client);
    const subscription = owner?.subscriptions.get(id);
    if (owner === undefined || subscription === undefined) {
      throw new StompProtocolError(StompErrorCode.UNKNOWN_SUBSCRIPTION, `No subscription with id '${id}'`);
    }
    owner.subscriptions.delete(id);
    this.deactivate(subscription);
    const returned = subscription.pending.toArray();
    for (const delivery of returned) owner.pending.delete(delivery);
    subscription.pending.clear();
    if (subscription.inFlight !== undefined) returned.push(subscription.inFlight);
    subscription.inFlight = undefined;
    const queue = subscription.queue;
    if (queue === undefined) return; // topic: unacknowledged messages are simply forgotten
    this.queues.giveBack(queue, returned);
  }

  publish(message: BrokerMessage): void {
    const destination = message.destination;
    if (this.isQueueDestination(destination)) return this.queues.publish(message);
    // A user-destination message goes to exact subscriptions of its resolved name only: a pattern
    // (`/topic/**`) must not read another session's user messages.
    const subscriptions = message.deliveredAs === undefined ? this.topics.find(destination) : this.topics.findExact(destination);
    if (subscriptions.length === 0) return;
    if (this.fanningOut) {
      // Called from inside a deliver(): keep publish order for every subscriber.
      this.deferred.push({ subscriptions, message });
      return;
    }
    this.fanningOut = true;
    try {
      this.fanOut(subscriptions, message);
      for (let next = this.deferred.shift(); next !== undefined; next = this.deferred.shift()) {
        this.fanOut(next.subscriptions, next.message);
      }
    } finally {
      this.fanningOut = false;
    }
  }

  ack(client: BrokerClient, messageId: string): void {
    const delivery = this.pendingDelivery(client, messageId);
    const subscription = delivery.subscription;
    const queue = subscription.queue;
    if (subscription.ack === 'client') {
      // STOMP 1.2: `client` acks are cumulative (this message and every earlier one of the subscription).
      for (const acked of subscription.pending.upTo(delivery)) {
        untrackDelivery(acked);
        if (queue !== undefined) queue.unacked--;
      }
    } else {
      untrackDelivery(delivery);
      if (queue !== undefined) queue.unacked--;
    }
    if (queue !== undefined) this.queues.drain(queue); // room freed in the window and under the bound
  }

  nack(client: BrokerClient, messageId: string): void {
    const delivery = this.pendingDelivery(client, messageId);
    const subscription = delivery.subscription;
    let nacked: BrokerDelivery[];
    if (subscription.ack === 'client') {
      // Cumulative like ACK: this message and every earlier unacknowledged one, in delivery order.
      nacked = subscription.pending.upTo(delivery);
    } else {
      nacked = [delivery];
    }
    for (const each of nacked) untrackDelivery(each);
    const queue = subscription.queue;
    if (queue === undefined) return; // topic: a NACKed message is dropped
    this.queues.giveBack(queue, nacked);
  }

  dropQueue(destination: string): void {
    const queue = this.queues.get(destination);
    if (queue === undefined) return;
    queue.waiting.clear();
    this.queues.drain(queue); // removes it when nothing else keeps it
  }

  close(): void {
    for (const owner of this.clients.values()) {
      for (const subscription of owner.subscriptions.values()) subscription.active = false;
    }
    this.clients.clear();
    this.topics.clear();
    this.queues.clear();
    this.deferred.clear();
    this.subscriptions = 0;
  }

  // ---- introspection (tests, stats) ---------------------------------------------------------

  get clientCount(): number {
    return this.clients.size;
  }

  get subscriptionCount(): number {
    return this.subscriptions;
  }

  /** Queues currently kept (a queue with no consumer, no message and no pending ack is dropped). */
  get queueCount(): number {
    return this.queues.size;
  }

  /** Topic messages not delivered to a client-ack subscription whose window was full. */
  get droppedCount(): number {
    return this.dropped;
  }

  /** Messages waiting in a queue (not delivered yet, or returned). */
  queueDepth(destination: string): number {
    return this.queues.get(destination)?.waiting.length ?? 0;
  }

  /** Messages of a queue delivered and not yet acknowledged. */
  unackedCount(destination: string): number {
    return this.queues.get(destination)?.unacked ?? 0;
  }

  /** Unacknowledged deliveries of a client (client and client-individual subscriptions). */
  pendingCount(client: BrokerClient): number {
    return this.clients.get(client)?.pending.size ?? 0;
  }

  // ---- internals ----------------------------------------------------------------------------

  private fanOut(subscriptions: readonly BrokerSubscription[], message: BrokerMessage): void {
    for (let i = 0; i < subscriptions.length; i++) {
      const subscription = subscriptions[i]!;
      if (!subscription.active) continue; // unsubscribed during this fan-out
      // Auto deliveries share the message's id, so the session writes a cached id line and head
      // instead of encoding a head per subscriber; acked deliveries need ids of their own.
      let sequence = -1; // auto: the message's shared id
      if (subscription.ack === 'auto') message.id ??= `m${++this.messageSequence}`;
      else sequence = subscription.owner.nextSequence();
      const delivery = new BrokerDelivery(subscription, message, sequence, false);
      if (subscription.ack !== 'auto') {
        if (!subscription.hasRoom) {
          this.dropped++;
          continue;
        }
        trackDelivery(delivery);
      }
      subscription.client.deliver(delivery);
    }
  }

  /** Stops delivery to a subscription at once. */
  private deactivate(subscription: BrokerSubscription): void {
    if (!subscription.active) return;
    subscription.active = false;
    this.subscriptions--;
    if (subscription.queue !== undefined) subscription.queue.removeConsumer(subscription);
    else this.topics.remove(subscription);
  }

  private pendingDelivery(client: BrokerClient, messageId: string): BrokerDelivery {
    const sequence = parseSequence(messageId);
    const delivery = sequence < 0 ? undefined : this.clients.get(client)?.pending.get(sequence);
    if (delivery === undefined) {
      throw new StompProtocolError(StompErrorCode.UNKNOWN_ACK, `No unacknowledged message with id '${messageId}'`);
    }
    return delivery;
  }
}

function appendTo(map: Map<BrokerQueue, BrokerDelivery[]>, queue: BrokerQueue, delivery: BrokerDelivery): void {
  const list = map.get(queue);
  if (list === undefined) map.set(queue, [delivery]);
  else list.push(delivery);
}

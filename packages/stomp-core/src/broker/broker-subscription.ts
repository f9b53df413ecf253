import type { AckMode, BrokerClient, BrokerMessage, Delivery, Subscription } from './message-broker.js';
import type { StompHeaders } from '../codec/stomp-frame.js';
import type { BrokerQueue } from './broker-queue.js';

/**
 * One MESSAGE to one subscription. A single class so every delivery has the same shape (the
 * session reads the same four fields for each). For client and client-individual subscriptions
 * the delivery object itself is the pending-ack record.
 */
export class BrokerDelivery implements Delivery {
  /** Neighbours in the subscription's PendingDeliveries while unacknowledged (the list lives in the deliveries). */
  prev: BrokerDelivery | undefined = undefined;
  next: BrokerDelivery | undefined = undefined;

  constructor(
    readonly subscription: BrokerSubscription,
    readonly message: BrokerMessage,
    readonly messageId: string,
    readonly redelivered: boolean,
  ) {}
}

/** A subscription inside the embedded broker: the public fields plus its delivery state. */
export class BrokerSubscription implements Subscription {
  /** False once unsubscribed or its client removed: delivery stops at once, even mid fan-out. */
  active = true;
  /** Unacknowledged deliveries in delivery order (client / client-individual only); found by id through ClientState.pending. */
  readonly pending = new PendingDeliveries();
  /** An auto-ack queue delivery whose deliver() call is on the stack (goes back to the queue if the client leaves). */
  inFlight: BrokerDelivery | undefined = undefined;
  /** The session's encoded `MESSAGE` + `subscription` line (fixed for the subscription's life). */
  encodedHead: Buffer | undefined = undefined;

  constructor(
    readonly id: string,
    readonly destination: string,
    readonly ack: AckMode,
    readonly headers: StompHeaders,
    readonly client: BrokerClient,
    readonly owner: ClientState,
    /** The queue this subscription consumes from; undefined for topic subscriptions. */
    readonly queue: BrokerQueue | undefined,
    /** Most unacknowledged deliveries outstanding at once; 0 = unlimited. */
    readonly window: number,
  ) {}

  /** True when one more delivery fits in its window (always for auto). */
  get hasRoom(): boolean {
    return this.window === 0 || this.pending.size < this.window;
  }
}

/** The broker's record of one client: its subscriptions, its pending acks and its message-id counter. */
export class ClientState {
  readonly subscriptions = new Map<string, BrokerSubscription>();
  /** Every unacknowledged delivery of the client, by message id, in delivery order. */
  readonly pending = new Map<string, BrokerDelivery>();
  private sequence = 0;

  constructor(readonly client: BrokerClient) {}

  /** Unique among this client's deliveries; the MESSAGE `message-id` and `ack` header. */
  nextMessageId(): string {
    return String(++this.sequence);
  }
}

/**
 * One subscription's unacknowledged deliveries in delivery order, as a doubly linked list threaded
 * through the deliveries: tracking allocates nothing, and forgetting a delivery (ACK, NACK) is O(1)
 * by identity. ClientState.pending is the only map: it finds a delivery by message id.
 */
export class PendingDeliveries {
  first: BrokerDelivery | undefined = undefined;
  last: BrokerDelivery | undefined = undefined;
  size = 0;

  push(delivery: BrokerDelivery): void {
    const last = this.last;
    delivery.prev = last;
    delivery.next = undefined;
    if (last === undefined) this.first = delivery;
    else last.next = delivery;
    this.last = delivery;
    this.size++;
  }

  /** Unlinks a delivery of this list (one that is not in it is left alone). */
  remove(delivery: BrokerDelivery): void {
    const { prev, next } = delivery;
    if (prev === undefined ? this.first !== delivery : prev.next !== delivery) return;
    if (prev === undefined) this.first = next;
    else prev.next = next;
    if (next === undefined) this.last = prev;
    else next.prev = prev;
    delivery.prev = delivery.next = undefined;
    this.size--;
  }

  /** The deliveries in delivery order (a copy: safe to untrack while walking it). */
  toArray(): BrokerDelivery[] {
    const out: BrokerDelivery[] = [];
    for (let d = this.first; d !== undefined; d = d.next) out.push(d);
    return out;
  }

  /** The first deliveries up to and including `last` (STOMP `client` mode is cumulative), in order. */
  upTo(last: BrokerDelivery): BrokerDelivery[] {
    const out: BrokerDelivery[] = [];
    for (let d = this.first; d !== undefined; d = d.next) {
      out.push(d);
      if (d === last) break;
    }
    return out;
  }

  clear(): void {
    for (let d = this.first; d !== undefined; ) {
      const next = d.next;
      d.prev = d.next = undefined;
      d = next;
    }
    this.first = this.last = undefined;
    this.size = 0;
  }
}

/** Records an unacknowledged delivery on its subscription (in order) and its client (by id). */
export function trackDelivery(delivery: BrokerDelivery): void {
  delivery.subscription.pending.push(delivery);
  delivery.subscription.owner.pending.set(delivery.messageId, delivery);
}

/** Forgets an acknowledged, NACKed or returned delivery. */
export function untrackDelivery(delivery: BrokerDelivery): void {
  delivery.subscription.pending.remove(delivery);
  delivery.subscription.owner.pending.delete(delivery.messageId);
}

import type { AckMode, BrokerClient, BrokerMessage, Delivery, Subscription } from './message-broker.js';
import type { StompHeaders } from '../codec/stomp-frame.js';
import type { BrokerQueue } from './broker-queue.js';

/**
 * One MESSAGE to one subscription. A single class so every delivery has the same shape (the
 * session reads the same four fields for each). For client and client-individual subscriptions
 * the delivery object itself is the pending-ack record.
 */
export class BrokerDelivery implements Delivery {
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
  /** Unacknowledged deliveries in delivery order (client / client-individual only): O(1) ack by id. */
  readonly pending = new Map<string, BrokerDelivery>();
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

/** Records an unacknowledged delivery on its subscription and its client (O(1) lookup by id). */
export function trackDelivery(delivery: BrokerDelivery): void {
  delivery.subscription.pending.set(delivery.messageId, delivery);
  delivery.subscription.owner.pending.set(delivery.messageId, delivery);
}

/** Forgets an acknowledged, NACKed or returned delivery. */
export function untrackDelivery(delivery: BrokerDelivery): void {
  delivery.subscription.pending.delete(delivery.messageId);
  delivery.subscription.owner.pending.delete(delivery.messageId);
}

import type { AckMode, BrokerClient, BrokerMessage, Delivery, Subscription } from './message-broker.js';
import type { StompHeaders } from '../codec/stomp-frame.js';
import type { BrokerQueue } from './broker-queue.js';
import { CompactMap } from '../util/compact-map.js';

/**
 * One MESSAGE to one subscription. A single class so every delivery has the same shape (the
 * session reads the same fields for each). For client and client-individual subscriptions the
 * delivery object itself is the pending-ack record.
 */
export class BrokerDelivery implements Delivery {
  /** Neighbours in the subscription's PendingDeliveries while unacknowledged (the list lives in the deliveries). */
  prev: BrokerDelivery | undefined = undefined;
  next: BrokerDelivery | undefined = undefined;

  constructor(
    readonly subscription: BrokerSubscription,
    readonly message: BrokerMessage,
    /**
     * The client-unique number whose decimal form is the `message-id` (see ClientState); -1 for an
     * auto delivery of a topic message, whose id is the message's shared `id`. A number, not a
     * string: the session writes its digits straight into the MESSAGE and the ACK finds it again
     * by number, so no id string is made per delivery.
     */
    readonly sequence: number,
    readonly redelivered: boolean,
  ) {}

  /** Delivery: a queue message goes to one consumer only. */
  get single(): boolean {
    return this.subscription.queue !== undefined;
  }

  /** Delivery: the MESSAGE `message-id` (and `ack`), made on demand (interceptors, rules, tests). */
  get messageId(): string {
    return this.sequence < 0 ? this.message.id! : String(this.sequence);
  }
}

/** A subscription inside the embedded broker: the public fields plus its delivery state. */
export class BrokerSubscription implements Subscription {
  /** False once unsubscribed or its client removed: delivery stops at once, even mid fan-out. */
  active = true;
  /**
   * Unacknowledged deliveries in delivery order (client / client-individual only); found by id
   * through ClientState.pending. An auto subscription shares one empty list that is never added
   * to (only trackDelivery adds, and never for auto): an idle subscriber costs no list of its own.
   */
  readonly pending: PendingDeliveries;
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
  ) {
    this.pending = ack === 'auto' ? NO_PENDING : new PendingDeliveries();
  }

  /** True when one more delivery fits in its window (always for auto). */
  get hasRoom(): boolean {
    return this.window === 0 || this.pending.size < this.window;
  }
}

/** The broker's record of one client: its subscriptions, its pending acks and its message-id counter. */
export class ClientState {
  readonly subscriptions = new CompactMap<BrokerSubscription>();
  /** Every unacknowledged delivery of the client, by sequence. */
  readonly pending = new PendingBySequence();
  private sequence = 0;

  constructor(readonly client: BrokerClient) {}

  /** Unique among this client's deliveries; its decimal form is the MESSAGE `message-id` and `ack` header. */
  nextSequence(): number {
    return ++this.sequence;
  }
}

/**
 * The sequence an ACK/NACK id names: a broker-made id is the canonical decimal form of a positive
 * integer (no sign, no leading zero), so anything else names no delivery (-1).
 */
export function parseSequence(id: string): number {
  const length = id.length;
  if (length === 0 || length > 15 || id.charCodeAt(0) === 0x30) return -1;
  let n = 0;
  for (let i = 0; i < length; i++) {
    const digit = id.charCodeAt(i) - 0x30;
    if (digit < 0 || digit > 9) return -1;
    n = n * 10 + digit;
  }
  return n;
}

/** Slots of a PendingBySequence when it is created; it grows by doubling while it stays dense. */
const FIRST_SLOTS = 64;
/**
 * The ring of a client that has nothing pending yet (never written: add() replaces it first).
 * Most clients never hold an unacknowledged delivery (auto acks, idle connections), so the
 * 64 slots are made on the first one, not per client.
 */
const NO_SLOTS: readonly (BrokerDelivery | undefined)[] = [undefined];

/**
 * A client's unacknowledged deliveries found by sequence: a ring of slots indexed by the
 * sequence's low bits, so tracking and acknowledging allocate nothing (a Map would add and drop
 * an entry per delivery). Sequences grow by one per delivery, so the pending ones mostly fall in
 * distinct slots; when a delivery needs a slot still held by an older pending one, the ring
 * doubles if at least a quarter of it is pending, otherwise the older delivery (long
 * unacknowledged) moves to a Map: the ring's size stays proportional to what is pending.
 */
export class PendingBySequence {
  private slots = NO_SLOTS as (BrokerDelivery | undefined)[];
  private overflow: Map<number, BrokerDelivery> | undefined = undefined;
  size = 0;

  add(delivery: BrokerDelivery): void {
    if (this.slots === NO_SLOTS) this.slots = new Array<BrokerDelivery | undefined>(FIRST_SLOTS).fill(undefined);
    let slots = this.slots;
    let index = delivery.sequence & (slots.length - 1);
    const held = slots[index];
    if (held !== undefined) {
      if (this.size * 4 >= slots.length) {
        this.grow();
        slots = this.slots;
        index = delivery.sequence & (slots.length - 1);
      }
      const still = slots[index];
      if (still !== undefined) (this.overflow ??= new Map()).set(still.sequence, still);
    }
    slots[index] = delivery;
    this.size++;
  }

  get(sequence: number): BrokerDelivery | undefined {
    const found = this.slots[sequence & (this.slots.length - 1)];
    if (found !== undefined && found.sequence === sequence) return found;
    return this.overflow?.get(sequence);
  }

  /** Forgets a delivery added before (one that is not here is left alone). */
  delete(delivery: BrokerDelivery): void {
    const slots = this.slots;
    const index = delivery.sequence & (slots.length - 1);
    if (slots[index] === delivery) {
      slots[index] = undefined;
      this.size--;
    } else if (this.overflow?.get(delivery.sequence) === delivery) {
      this.overflow.delete(delivery.sequence);
      this.size--;
    }
  }

  clear(): void {
    this.slots = NO_SLOTS as (BrokerDelivery | undefined)[];
    this.overflow = undefined;
    this.size = 0;
  }

  private grow(): void {
    const old = this.slots;
    const slots = new Array<BrokerDelivery | undefined>(old.length * 2).fill(undefined);
    const mask = slots.length - 1;
    for (let i = 0; i < old.length; i++) {
      const delivery = old[i];
      if (delivery !== undefined) slots[delivery.sequence & mask] = delivery;
    }
    this.slots = slots;
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

/** The list of every auto subscription: always empty (see BrokerSubscription.pending). */
const NO_PENDING = new PendingDeliveries();

/** Records an unacknowledged delivery on its subscription (in order) and its client (by id). */
export function trackDelivery(delivery: BrokerDelivery): void {
  delivery.subscription.pending.push(delivery);
  delivery.subscription.owner.pending.add(delivery);
}

/** Forgets an acknowledged, NACKed or returned delivery. */
export function untrackDelivery(delivery: BrokerDelivery): void {
  delivery.subscription.pending.remove(delivery);
  delivery.subscription.owner.pending.delete(delivery);
}

import { Deque } from '../util/deque.js';
import type { BrokerDelivery, BrokerSubscription } from './broker-subscription.js';
import type { BrokerMessage } from './message-broker.js';

/** A message waiting in a queue; `redelivered` when it came back (NACK, unsubscribe, disconnect). */
export interface QueueEntry {
  readonly message: BrokerMessage;
  readonly redelivered: boolean;
}

/**
 * One queue destination: waiting messages (FIFO, returned ones at the front), its competing
 * consumers (round-robin) and the count of delivered-but-unacknowledged messages.
 */
export class BrokerQueue {
  readonly waiting = new Deque<QueueEntry>();
  /** Replaced, never mutated (copy-on-write): safe to hold while deliveries unsubscribe. */
  consumers: readonly BrokerSubscription[] = [];
  /** Delivered and not yet acknowledged (auto-ack deliveries count while their deliver() runs). */
  unacked = 0;
  /** Set while this queue hands out messages: nested drains leave the work to the running loop. */
  draining = false;
  private cursor = 0;

  constructor(readonly destination: string) {}

  /** Messages the queue answers for (the maxQueuedMessages bound): waiting + unacknowledged. */
  get held(): number {
    return this.waiting.length + this.unacked;
  }

  /** Nothing left to keep the queue for. */
  get idle(): boolean {
    return this.consumers.length === 0 && this.waiting.length === 0 && this.unacked === 0 && !this.draining;
  }

  addConsumer(subscription: BrokerSubscription): void {
    this.consumers = [...this.consumers, subscription];
  }

  removeConsumer(subscription: BrokerSubscription): void {
    const index = this.consumers.indexOf(subscription);
    if (index === -1) return;
    const copy = this.consumers.slice();
    copy.splice(index, 1);
    this.consumers = copy;
    // Keep the round-robin position on the consumer that was next.
    if (index < this.cursor) this.cursor--;
    if (this.cursor >= copy.length) this.cursor = 0;
  }

  /** The next consumer (round-robin) with room in its prefetch window, or undefined. */
  nextConsumer(): BrokerSubscription | undefined {
    const consumers = this.consumers;
    const count = consumers.length;
    for (let k = 0; k < count; k++) {
      const index = (this.cursor + k) % count;
      const candidate = consumers[index]!;
      if (candidate.active && candidate.hasRoom) {
        this.cursor = (index + 1) % count;
        return candidate;
      }
    }
    return undefined;
  }

  /**
   * Puts delivered messages back at the front, ahead of the waiting ones, keeping their order
   * (`deliveries` in delivery order), each marked redelivered. They stop counting as unacked.
   */
  returnToFront(deliveries: readonly BrokerDelivery[]): void {
    for (let i = deliveries.length - 1; i >= 0; i--) {
      this.waiting.unshift({ message: deliveries[i]!.message, redelivered: true });
    }
    this.unacked -= deliveries.length;
  }
}

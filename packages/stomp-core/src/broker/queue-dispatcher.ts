import { StompErrorCode } from '../errors/error-codes.js';
import { StompLimitError } from '../errors/stomp-limit.error.js';
import { StompProtocolError } from '../errors/stomp-protocol.error.js';
import { isPattern } from '../util/destination-pattern.js';
import { BrokerQueue } from './broker-queue.js';
import { BrokerDelivery, trackDelivery, type BrokerSubscription } from './broker-subscription.js';
import type { BrokerMessage } from './message-broker.js';

/**
 * The queue side of the embedded broker: competing consumers, round-robin, messages held while
 * no consumer can take them (FIFO, bounded), returned messages first.
 *
 * Re-entrancy: while a queue hands out messages (`draining`), nested calls that add messages or
 * free room leave the delivering to the running loop, which re-checks the queue each turn.
 */
export class QueueDispatcher {
  private readonly queues = new Map<string, BrokerQueue>();

  constructor(
    private readonly maxQueuedMessages: number,
    /** Most queues kept at once (0: no limit): with maxQueuedMessages, what bounds the memory queues hold. */
    private readonly maxQueues = 0,
  ) {}

  get size(): number {
    return this.queues.size;
  }

  get(destination: string): BrokerQueue | undefined {
    return this.queues.get(destination);
  }

  /** The queue of `destination`, created on first use. Throws LIMIT_EXCEEDED when `maxQueues` queues exist. */
  queueFor(destination: string): BrokerQueue {
    let queue = this.queues.get(destination);
    if (queue === undefined) {
      if (this.maxQueues > 0 && this.queues.size >= this.maxQueues) {
        throw new StompLimitError(StompErrorCode.LIMIT_EXCEEDED, `Too many queues (maxQueues ${this.maxQueues}): cannot create '${destination.slice(0, 256)}'`);
      }
      queue = new BrokerQueue(destination);
      this.queues.set(destination, queue);
    }
    return queue;
  }

  /** To one consumer, or held. Throws QUEUE_FULL (nothing enqueued) when the queue holds its maximum. */
  publish(message: BrokerMessage): void {
    const destination = message.destination;
    const existing = this.queues.get(destination);
    // An existing queue's name was checked when it was created (here or by an exact SUBSCRIBE).
    if (existing === undefined && isPattern(destination)) {
      throw new StompProtocolError(StompErrorCode.INVALID_HEADER, `Cannot send to '${destination}': queue destinations are exact, not patterns`);
    }
    if (existing !== undefined && existing.held >= this.maxQueuedMessages) {
      throw new StompLimitError(StompErrorCode.QUEUE_FULL, `Queue '${destination}' is full (${this.maxQueuedMessages} messages)`);
    }
    const queue = existing ?? this.queueFor(destination);
    // FIFO: while messages wait, a new one waits behind them (a running drain takes it).
    if (queue.waiting.length === 0 && !queue.draining) {
      const consumer = queue.nextConsumer();
      if (consumer !== undefined) {
        queue.draining = true;
        try {
          this.deliver(queue, consumer, message, false);
        } finally {
          queue.draining = false;
        }
        this.drain(queue); // whatever came back or arrived during deliver()
        return;
      }
    }
    queue.waiting.push({ message, redelivered: false });
  }

  /** Hands waiting messages to ready consumers, then drops the queue if nothing keeps it. */
  drain(queue: BrokerQueue): void {
    if (queue.draining) return;
    if (queue.waiting.length > 0) {
      queue.draining = true;
      try {
        while (queue.waiting.length > 0) {
          const consumer = queue.nextConsumer();
          if (consumer === undefined) break;
          const entry = queue.waiting.shift()!;
          this.deliver(queue, consumer, entry.message, entry.redelivered);
        }
      } finally {
        queue.draining = false;
      }
    }
    // A queue with no consumer, no message and no pending ack costs nothing to recreate.
    if (queue.idle && this.queues.get(queue.destination) === queue) this.queues.delete(queue.destination);
  }

  /**
   * Puts the deliveries back at the front of their queue (in the given order, redelivered) and
   * hands them out again. The caller has already untracked them.
   */
  giveBack(queue: BrokerQueue, deliveries: readonly BrokerDelivery[]): void {
    queue.returnToFront(deliveries);
    this.drain(queue);
  }

  clear(): void {
    this.queues.clear();
  }

  private deliver(queue: BrokerQueue, consumer: BrokerSubscription, message: BrokerMessage, redelivered: boolean): void {
    const delivery = new BrokerDelivery(consumer, message, consumer.owner.nextSequence(), redelivered);
    queue.unacked++;
    if (consumer.ack !== 'auto') {
      trackDelivery(delivery);
      consumer.client.deliver(delivery);
      return;
    }
    // Auto ack: counted while deliver() runs. A consumer removed meanwhile (its session closed on a
    // full send buffer) takes it back to the queue via inFlight: it was not received.
    consumer.inFlight = delivery;
    try {
      consumer.client.deliver(delivery);
    } finally {
      if (consumer.inFlight === delivery) {
        consumer.inFlight = undefined;
        queue.unacked--;
      }
    }
  }
}

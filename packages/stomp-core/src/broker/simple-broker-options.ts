/** Options of the embedded ("simple") broker. */
export interface SimpleBrokerOptions {
  /** Destinations the broker serves. Default `['/topic', '/queue']`. */
  destinationPrefixes: string[];
  /** Prefixes with queue semantics (competing consumers, held while unsubscribed). Default `['/queue']`. */
  queuePrefixes: string[];
  /** Most messages one queue holds (waiting or unacknowledged) before SEND fails with QUEUE_FULL. Default 10000. */
  maxQueuedMessages: number;
  /**
   * Most queues the broker keeps at once (a queue with no message, no consumer and nothing
   * unacknowledged is dropped and does not count); SEND or SUBSCRIBE creating one more fails with
   * LIMIT_EXCEEDED. 0: no limit. Default 100000.
   */
  maxQueues?: number;
  /** Most subscriptions one session may hold. Default 1000. */
  maxSubscriptionsPerSession: number;
  /** Most destinations whose pattern-subscription matches are cached (Spring's `cacheLimit`). Default 1024. */
  cacheLimit?: number;
}

export const DEFAULT_SIMPLE_BROKER_OPTIONS: Readonly<SimpleBrokerOptions> = Object.freeze({
  destinationPrefixes: ['/topic', '/queue'],
  queuePrefixes: ['/queue'],
  maxQueuedMessages: 10_000,
  maxQueues: 100_000,
  maxSubscriptionsPerSession: 1_000,
  cacheLimit: 1_024,
});

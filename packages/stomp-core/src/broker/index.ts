export type { AckMode, BrokerClient, BrokerMessage, Delivery, FrameHeaders, MessageBroker, Subscription } from './message-broker.js';
export { DEFAULT_SIMPLE_BROKER_OPTIONS, type SimpleBrokerOptions } from './simple-broker-options.js';
export { SimpleBroker } from './simple-broker.js';
export {
  DEFAULT_SUBSCRIPTION_CACHE_LIMIT,
  SubscriptionRegistry,
  type RegisteredSubscription,
  type SubscriptionRegistryOptions,
} from './subscription-registry.js';
export { isUnderPrefix } from './broker-options.util.js';

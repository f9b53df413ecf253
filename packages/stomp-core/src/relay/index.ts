export { StompBrokerRelay, type RelayedUserMessage, type StompBrokerRelayEvents } from './stomp-broker-relay.js';
export {
  DEFAULT_RELAY_OPTIONS,
  resolveRelayOptions,
  type RelayHost,
  type StompBrokerRelayInit,
  type StompBrokerRelayOptions,
} from './relay-options.js';

// The public API of @nest-stomp/core: everything users and the Nest layer may import.
export * from './codec/index.js';
export * from './errors/index.js';
export * from './broker/index.js';
export * from './relay/index.js';
export * from './util/index.js';
export * from './security/index.js';
export type { StompConnection, StompConnectionEvents } from './transport/stomp-connection.js';
export { TcpConnection } from './transport/tcp/tcp-connection.js';
export { WsConnection } from './transport/ws/ws-connection.js';
export { STOMP_SUBPROTOCOLS, type WebSocketEndpoint, type WebSocketEndpointOptions } from './transport/ws/ws-transport.js';
export type { TcpEndpoint, TcpEndpointOptions } from './transport/tcp/tcp-transport.js';
export { StompSession, SessionState, type StompPrincipal } from './session/stomp-session.js';
export type { ApplicationHandler } from './session/application-handler.js';
export type { SessionSubscription } from './session/session-host.js';
export { HeartbeatScheduler, type HeartbeatMember } from './session/heartbeat-scheduler.js';
export { ConnectDeadlines } from './session/connect-deadlines.js';
export { DeliveryLinger } from './session/delivery-linger.js';
export { FlushList, type Flushable } from './session/flush-list.js';
export type { ChannelDirection, ChannelInterceptor } from './session/channel-interceptor.js';
export type { StompAuthenticateFunction, StompAuthenticationRequest, StompAuthenticator } from './session/stomp-authenticator.js';
export {
  UserRegistry,
  type StompUser,
  type StompUserSession,
  type StompUserSubscription,
} from './user/user-registry.js';
export { MultiServerUserRegistry, type UserRegistrySnapshot } from './user/multi-server-user-registry.js';
export {
  USER_SUFFIX,
  UserDestinationResolver,
  resolvedUserDestination,
  type ParsedUserDestination,
} from './user/user-destination-resolver.js';
export { StompServer, type StompServerEvents } from './server/stomp-server.js';
export {
  DEFAULT_STOMP_SERVER_OPTIONS,
  resolveServerOptions,
  type StompServerInit,
  type StompServerOptions,
} from './server/stomp-server-options.js';

// The one public entry of 'nest-stomp'.
export { StompModule } from './stomp.module.js';
export type { StompModuleAsyncOptions, StompModuleForRootOptions } from './stomp-module.definition.js';
export { STOMP_MODULE_OPTIONS } from './stomp-module.definition.js';
export type {
  StompBrokerOptions,
  StompEndpointOptions,
  StompModuleOptions,
  StompRelayBrokerOptions,
  StompSimpleBrokerOptions,
  StompTcpOptions,
} from './interfaces/stomp-module-options.interface.js';
export { resolveStompModuleOptions, type ResolvedStompModuleOptions } from './stomp-options.resolver.js';
export { STOMP_RESOLVED_OPTIONS, STOMP_SERVER } from './stomp.constants.js';
export { StompServerHost } from './stomp-server.host.js';

// Security: authenticator provider, destination rules (guards resolved through DI).
export type { StompAuthenticator } from './security/stomp-authenticator.interface.js';
export type { StompDestinationRule, StompRuleAccess } from './security/stomp-destination-rule.interface.js';
export { StompDestinationRules } from './security/guard-voter.js';
export { StompSecurityBinder } from './security/stomp-security.binder.js';

// Core names users meet through the module (injected server, events, errors).
export {
  StompError,
  StompErrorCode,
  StompLimitError,
  StompProtocolError,
  StompServer,
  NO_DESTINATION,
  type AccessRequest,
  type AccessVoter,
  type CsrfOptions,
  type RuleFrameSelector,
  type RuleFrameType,
  type StompAuthenticationRequest,
  type StompPrincipal,
  type StompServerInit,
  type StompServerOptions,
  type StompSession,
  type TcpEndpoint,
  type WebSocketEndpoint,
} from '@nest-stomp/core';

// Annotated controllers (Spring's @MessageMapping model).
export * from './decorators/index.js';
export { StompMessage, type StompMessageCommand } from './context/stomp-message.js';
export { StompRecord, StompRecordBuilder, type StompHeaderValue, type StompMessageHeaders } from './context/stomp-record.js';

// Sending from anywhere (Spring's SimpMessagingTemplate).
export { StompMessagingTemplate } from './messaging/stomp-messaging.template.js';

// Session events (Spring's SessionConnectEvent ... SessionDisconnectEvent) through @OnStompEvent.
export {
  SessionConnectEvent,
  SessionConnectedEvent,
  SessionDisconnectEvent,
  SessionSubscribeEvent,
  SessionUnsubscribeEvent,
  StompSessionEvent,
  type SessionDisconnectReason,
  type StompEventMap,
  type StompEventName,
} from './events/stomp-session-events.js';
export { StompException } from './exceptions/stomp.exception.js';
export { ORIGIN_DESTINATION_HEADER, toErrorPayload, type StompErrorPayload } from './exceptions/stomp-error-payload.js';
export { ERRORS_DESTINATION } from './exceptions/error-replier.js';
export { StompParamtype } from './routing/stomp-paramtype.enum.js';
export type { StompHandlerArgs } from './routing/stomp-params.factory.js';
export { StompHandlerExplorer } from './routing/stomp-handler.explorer.js';
export {
  MESSAGE_MAPPING_METADATA,
  SEND_TO_METADATA,
  SEND_TO_USER_METADATA,
  STOMP_CONTEXT_TYPE,
  STOMP_EVENT_LISTENER_METADATA,
  SUBSCRIBE_MAPPING_METADATA,
  type StompContextType,
} from './stomp.constants.js';

// The one public entry of 'nest-stomp'.
export { StompModule } from './stomp.module.js';
export type { StompModuleAsyncOptions, StompModuleForRootOptions } from './stomp-module.definition.js';
export { STOMP_MODULE_OPTIONS } from './stomp-module.definition.js';
export type {
  StompBrokerOptions,
  StompEndpointOptions,
  StompModuleOptions,
  StompSimpleBrokerOptions,
  StompTcpOptions,
} from './interfaces/stomp-module-options.interface.js';
export { resolveStompModuleOptions, type ResolvedStompModuleOptions } from './stomp-options.resolver.js';
export { STOMP_RESOLVED_OPTIONS, STOMP_SERVER } from './stomp.constants.js';
export { StompServerHost } from './stomp-server.host.js';

// Core names users meet through the module (injected server, events, errors).
export {
  StompError,
  StompErrorCode,
  StompLimitError,
  StompProtocolError,
  StompServer,
  type StompPrincipal,
  type StompServerInit,
  type StompServerOptions,
  type StompSession,
  type TcpEndpoint,
  type WebSocketEndpoint,
} from '@nest-stomp/core';

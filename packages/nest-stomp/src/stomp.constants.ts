import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';

/** Injection token of the core `StompServer` (also injectable by its class). */
export const STOMP_SERVER = Symbol.for('nest-stomp:StompServer');
/** Injection token of the resolved module options (`ResolvedStompModuleOptions`). */
export const STOMP_RESOLVED_OPTIONS = Symbol.for('nest-stomp:ResolvedOptions');

/** `ExecutionContext.getType()` of every STOMP handler invocation. */
export const STOMP_CONTEXT_TYPE = 'stomp';
export type StompContextType = typeof STOMP_CONTEXT_TYPE;

// Metadata keys of the decorators (namespaced, as Nest's own 'websockets:message_mapping').
export const MESSAGE_MAPPING_METADATA = 'nest-stomp:message_mapping';
export const SUBSCRIBE_MAPPING_METADATA = 'nest-stomp:subscribe_mapping';
export const SEND_TO_METADATA = 'nest-stomp:send_to';
export const SEND_TO_USER_METADATA = 'nest-stomp:send_to_user';
/**
 * Parameter decorators write where Nest's own do (`@nestjs/websockets` and microservices use the same
 * key): Nest's scanner then registers class pipes of `@Payload(SomePipe)` as injectables of the module
 * (so they get DI), and `createParamDecorator()` decorators work on STOMP handlers too.
 */
export const STOMP_PARAMS_METADATA = ROUTE_ARGS_METADATA;
/** `@OnStompEvent` listeners of a method: the event names, in declaration order. */
export const STOMP_EVENT_LISTENER_METADATA = 'nest-stomp:event_listener';

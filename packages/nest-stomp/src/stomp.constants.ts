/** Injection token of the core `StompServer` (also injectable by its class). */
export const STOMP_SERVER = Symbol.for('nest-stomp:StompServer');
/** Injection token of the resolved module options (`ResolvedStompModuleOptions`). */
export const STOMP_RESOLVED_OPTIONS = Symbol.for('nest-stomp:ResolvedOptions');

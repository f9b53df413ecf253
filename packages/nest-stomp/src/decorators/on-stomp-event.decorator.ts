import type { StompEventMap, StompEventName } from '../events/stomp-session-events.js';
import { STOMP_EVENT_LISTENER_METADATA } from '../stomp.constants.js';

/** A method that may listen to `E`: it receives the event object (its result, even a Promise, is not awaited by the server). */
type StompEventListenerMethod<E extends StompEventName> = (event: StompEventMap[E]) => unknown;

/**
 * Calls the decorated provider (or controller) method on a STOMP session event, Spring's
 * application events for STOMP, the Nest way (`@OnEvent` of @nestjs/event-emitter):
 *
 * | event                   | receives                  | when |
 * | ----------------------- | ------------------------- | ---- |
 * | `'session-connect'`     | `SessionConnectEvent`     | a valid CONNECT arrived, before authentication |
 * | `'session-connected'`   | `SessionConnectedEvent`   | CONNECTED was sent (principal known) |
 * | `'session-subscribe'`   | `SessionSubscribeEvent`   | a SUBSCRIBE took effect |
 * | `'session-unsubscribe'` | `SessionUnsubscribeEvent` | an UNSUBSCRIBE took effect |
 * | `'session-disconnect'`  | `SessionDisconnectEvent`  | the session ended, with its reason; once per session |
 *
 * Listeners are found at bootstrap in every module and wired before any client can connect. They
 * run synchronously in the server's event loop turn; an exception or a rejected Promise is logged
 * and never affects the session. A method may carry several `@OnStompEvent`.
 *
 * @example
 * ```ts
 * @Injectable()
 * export class Presence {
 *   @OnStompEvent('session-disconnect')
 *   left(event: SessionDisconnectEvent) { console.log(event.principal?.name, event.reason); }
 * }
 * ```
 * @publicApi
 */
export function OnStompEvent<E extends StompEventName>(
  event: E,
): <T extends StompEventListenerMethod<E>>(target: object, key: string | symbol, descriptor: TypedPropertyDescriptor<T>) => void {
  if (!STOMP_EVENT_NAMES.has(event)) {
    throw new TypeError(`@OnStompEvent: unknown event '${String(event)}' (one of ${[...STOMP_EVENT_NAMES].join(', ')})`);
  }
  // Typed so that a listener whose parameter is not the event's class does not compile.
  return (_target, _key, descriptor) => {
    const method = descriptor.value as object;
    const events = (Reflect.getMetadata(STOMP_EVENT_LISTENER_METADATA, method) as StompEventName[] | undefined) ?? [];
    Reflect.defineMetadata(STOMP_EVENT_LISTENER_METADATA, [...events, event], method);
  };
}

const STOMP_EVENT_NAMES = new Set<string>([
  'session-connect',
  'session-connected',
  'session-subscribe',
  'session-unsubscribe',
  'session-disconnect',
] satisfies StompEventName[]);

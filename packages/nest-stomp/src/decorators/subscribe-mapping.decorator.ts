import { SUBSCRIBE_MAPPING_METADATA } from '../stomp.constants.js';

/**
 * Maps SUBSCRIBE frames to an application destination onto a handler method (Spring's
 * `@SubscribeMapping`): a one-shot request/reply. The method runs once per SUBSCRIBE and its return
 * value goes straight back to that subscription only — the broker is not involved and the
 * subscription is not registered anywhere (a later UNSUBSCRIBE of it is harmless). With `@SendTo` or
 * `@SendToUser` the value goes to the broker instead.
 *
 * A class-level `@MessageMapping` prefix applies. Patterns as in `@MessageMapping`.
 *
 * @example
 * ```ts
 * @SubscribeMapping('/rooms')        // SUBSCRIBE /app/rooms → one MESSAGE with the list
 * rooms() { return ['general', 'random']; }
 * ```
 * @publicApi
 */
export function SubscribeMapping(...patterns: Array<string | string[]>): MethodDecorator {
  const values = patterns.flat();
  return (_target: object, _key: string | symbol, descriptor: PropertyDescriptor) => {
    Reflect.defineMetadata(SUBSCRIBE_MAPPING_METADATA, values.length > 0 ? values : [''], descriptor.value);
  };
}

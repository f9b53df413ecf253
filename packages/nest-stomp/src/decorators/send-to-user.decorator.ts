import { SEND_TO_USER_METADATA } from '../stomp.constants.js';

export interface SendToUserOptions {
  /**
   * true (default): to every session of the sender's user. false: only to the session the message
   * came from. A session without a principal is always addressed alone (it is its own "user").
   */
  broadcast?: boolean;
}

/** Stored metadata of `@SendToUser`. */
export interface SendToUserMetadata {
  /** Empty: `/queue` + the matched destination (Spring's default). */
  destinations: string[];
  broadcast: boolean;
}

/**
 * Sends a handler's return value to the sender's user destination (Spring's `@SendToUser`):
 * `@SendToUser('/queue/reply')` reaches the sender's subscriptions to `/user/queue/reply`.
 * Without a destination: `/queue` + the matched destination. The user is the session's principal
 * name, or the session itself when it has no principal. `{var}` placeholders as in `@SendTo`.
 * May be combined with `@SendTo` on the same method (the value goes to both).
 *
 * @example
 * ```ts
 * @MessageMapping('/whisper')
 * @SendToUser('/queue/whispers', { broadcast: false })
 * whisper(@Payload() body: string) { return body; }
 * ```
 * @publicApi
 */
export function SendToUser(options?: SendToUserOptions): ClassDecorator & MethodDecorator;
export function SendToUser(destination: string | string[], options?: SendToUserOptions): ClassDecorator & MethodDecorator;
export function SendToUser(
  destinationOrOptions?: string | string[] | SendToUserOptions,
  options?: SendToUserOptions,
): ClassDecorator & MethodDecorator {
  const isOptions = typeof destinationOrOptions === 'object' && !Array.isArray(destinationOrOptions);
  const destinations = isOptions || destinationOrOptions === undefined ? [] : [destinationOrOptions].flat();
  const resolved = (isOptions ? destinationOrOptions : options) ?? {};
  const metadata: SendToUserMetadata = { destinations, broadcast: resolved.broadcast ?? true };
  return (target: object, _key?: string | symbol, descriptor?: PropertyDescriptor) => {
    Reflect.defineMetadata(SEND_TO_USER_METADATA, metadata, descriptor ? descriptor.value : target);
  };
}

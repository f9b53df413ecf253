import { SEND_TO_METADATA } from '../stomp.constants.js';

/**
 * Where a handler's return value is published (Spring's `@SendTo`), instead of the default
 * `/topic` + matched destination. Several destinations receive the same message. `{var}`
 * placeholders are filled from the destination variables of the matched mapping
 * (`@MessageMapping('/room/{room}') @SendTo('/topic/chat.{room}')`); a placeholder the mapping
 * does not capture is a bootstrap error.
 *
 * On a class it is the default of every handler; a method-level `@SendTo` or `@SendToUser`
 * replaces the class-level pair.
 * @publicApi
 */
export function SendTo(...destinations: Array<string | string[]>): ClassDecorator & MethodDecorator {
  const values = destinations.flat();
  return (target: object, _key?: string | symbol, descriptor?: PropertyDescriptor) => {
    Reflect.defineMetadata(SEND_TO_METADATA, values, descriptor ? descriptor.value : target);
  };
}

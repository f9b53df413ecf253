import { MESSAGE_MAPPING_METADATA } from '../stomp.constants.js';

/**
 * Maps SEND frames to an application destination onto a handler method (Spring's `@MessageMapping`).
 *
 * On a class it sets a prefix that every method mapping of the class is joined to. Patterns use
 * Spring's syntax: `{var}` captures one segment (read it with `@DestinationVariable('var')`), `*`
 * matches one segment, `**` any number; segments are separated by `/` or `.`. The pattern is matched
 * against the destination with the application prefix removed: `@MessageMapping('/greeting')`
 * handles a SEND to `/app/greeting`.
 *
 * The handler's return value (a value, a Promise, or an Observable: every emitted value) is sent
 * to `/topic` + the matched destination (`/app/greeting` → `/topic/greeting`), or where `@SendTo` /
 * `@SendToUser` say.
 *
 * @example
 * ```ts
 * @Controller()
 * @MessageMapping('/chat')
 * export class ChatController {
 *   @MessageMapping('/room/{room}')
 *   @SendTo('/topic/chat.{room}')
 *   post(@Payload() msg: PostDto, @DestinationVariable('room') room: string) { return { ...msg, room }; }
 * }
 * ```
 * @publicApi
 */
export function MessageMapping(...patterns: Array<string | string[]>): ClassDecorator & MethodDecorator {
  const values = patterns.flat();
  return (target: object, _key?: string | symbol, descriptor?: PropertyDescriptor) => {
    Reflect.defineMetadata(MESSAGE_MAPPING_METADATA, values.length > 0 ? values : [''], descriptor ? descriptor.value : target);
  };
}

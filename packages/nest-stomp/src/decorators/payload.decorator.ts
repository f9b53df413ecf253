import { StompParamtype } from '../routing/stomp-paramtype.enum.js';
import { splitDataAndPipes, stompParam, type StompPipe } from './param.utils.js';

/**
 * The message payload, converted by its `content-type`: `application/json` (and `+json` types, and a
 * message without content-type) → the parsed value; `text/*` → a string; anything else → the raw
 * Buffer. With a property name, that property of the parsed payload. Pipes run on the value
 * (e.g. `ValidationPipe` against the parameter's DTO class).
 *
 * @example
 * ```ts
 * post(@Payload() msg: PostDto, @Payload('text') text: string, @Payload(new ParseIntPipe()) n: number)
 * ```
 * @publicApi
 */
export function Payload(): ParameterDecorator;
export function Payload(...pipes: StompPipe[]): ParameterDecorator;
export function Payload(property: string, ...pipes: StompPipe[]): ParameterDecorator;
export function Payload(propertyOrPipe?: string | StompPipe, ...pipes: StompPipe[]): ParameterDecorator {
  const split = splitDataAndPipes(propertyOrPipe, pipes);
  return stompParam(StompParamtype.PAYLOAD, split.data, split.pipes);
}

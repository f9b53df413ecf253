import { StompParamtype } from '../routing/stomp-paramtype.enum.js';
import { splitDataAndPipes, stompParam, type StompPipe } from './param.utils.js';

/**
 * A `{var}` capture of the matched mapping (Spring's `@DestinationVariable`); without a name, all
 * captures as a record. Naming a variable the mapping does not capture is a bootstrap error.
 *
 * @example
 * ```ts
 * @MessageMapping('/room/{room}/{n}')
 * post(@DestinationVariable('room') room: string, @DestinationVariable('n', ParseIntPipe) n: number)
 * ```
 * @publicApi
 */
export function DestinationVariable(): ParameterDecorator;
export function DestinationVariable(name: string, ...pipes: StompPipe[]): ParameterDecorator;
export function DestinationVariable(name?: string, ...pipes: StompPipe[]): ParameterDecorator {
  const split = splitDataAndPipes(name, pipes);
  return stompParam(StompParamtype.DESTINATION_VARIABLE, split.data, split.pipes);
}

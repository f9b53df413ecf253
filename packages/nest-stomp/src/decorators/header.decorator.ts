import { StompParamtype } from '../routing/stomp-paramtype.enum.js';
import { stompParam, type StompPipe } from './param.utils.js';

/**
 * One header of the incoming frame (Spring's `@Header`), `undefined` when absent. STOMP header
 * names are case-sensitive.
 * @publicApi
 */
export function Header(name: string, ...pipes: StompPipe[]): ParameterDecorator {
  return stompParam(StompParamtype.HEADER, name, pipes);
}

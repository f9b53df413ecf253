import { StompParamtype } from '../routing/stomp-paramtype.enum.js';
import { stompParam } from './param.utils.js';

/**
 * All headers of the incoming frame as a read-only record (Spring's `@Headers`), including
 * `destination`, `content-type` and any custom header the client set.
 * @publicApi
 */
export function Headers(): ParameterDecorator {
  return stompParam(StompParamtype.HEADERS, undefined, []);
}

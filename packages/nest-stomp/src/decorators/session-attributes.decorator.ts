import { StompParamtype } from '../routing/stomp-paramtype.enum.js';
import { stompParam } from './param.utils.js';

/**
 * The session's attributes (a `Map<string, unknown>` that lives as long as the connection;
 * Spring's session attributes): per-connection state shared by the session's handlers.
 * @publicApi
 */
export function SessionAttributes(): ParameterDecorator {
  return stompParam(StompParamtype.SESSION_ATTRIBUTES, undefined, []);
}

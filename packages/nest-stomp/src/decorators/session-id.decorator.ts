import { StompParamtype } from '../routing/stomp-paramtype.enum.js';
import { stompParam } from './param.utils.js';

/** The id of the STOMP session the frame came on (also reachable as `/user/<id>/...` without a principal). @publicApi */
export function SessionId(): ParameterDecorator {
  return stompParam(StompParamtype.SESSION_ID, undefined, []);
}

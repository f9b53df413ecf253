import { StompParamtype } from '../routing/stomp-paramtype.enum.js';
import { stompParam } from './param.utils.js';

/** The session's authenticated principal (`{ name, ... }`), `undefined` for an anonymous session. @publicApi */
export function Principal(): ParameterDecorator {
  return stompParam(StompParamtype.PRINCIPAL, undefined, []);
}

import { StompError } from './stomp.error.js';

/** The peer broke the STOMP protocol: malformed frame, bad escape, missing header, wrong state. */
export class StompProtocolError extends StompError {
  override name = 'StompProtocolError';
}

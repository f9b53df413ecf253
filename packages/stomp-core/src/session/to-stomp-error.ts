import { StompErrorCode } from '../errors/error-codes.js';
import { StompError } from '../errors/stomp.error.js';

/** Anything thrown while handling a frame, as a StompError (internals are not shown to clients). */
export function toStompError(error: unknown): StompError {
  if (error instanceof StompError) return error;
  return new StompError(StompErrorCode.INTERNAL_ERROR, 'Internal server error', { cause: error });
}

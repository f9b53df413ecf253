import { StompError } from './stomp.error.js';

/** The peer went past a configured limit (frame size, headers, subscriptions, queue length, time...). */
export class StompLimitError extends StompError {
  override name = 'StompLimitError';
}

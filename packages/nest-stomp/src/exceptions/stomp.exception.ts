import { IntrinsicException } from '@nestjs/common';

/**
 * The exception to throw from a STOMP handler for an expected failure (like `WsException` for
 * gateways). Unless an exception filter handles it, the sender gets
 * `{ error: 'StompException', message, details }` on its `/user/queue/errors` and the connection
 * stays open. Subclass it to change `error` (it is the class `name`).
 *
 * It is an IntrinsicException: Nest does not log it as an application error.
 * @publicApi
 */
export class StompException extends IntrinsicException {
  override name = 'StompException';

  constructor(
    message: string,
    /** Anything JSON-serialisable that helps the client (field errors, limits...). */
    readonly details?: unknown,
  ) {
    super(message);
  }
}

import type { StompErrorCode } from './error-codes.js';

/**
 * Base of every error nest-stomp raises. `code` is stable; `message` becomes the `message`
 * header of the ERROR frame when the error ends a session.
 */
export class StompError extends Error {
  override name = 'StompError';
  constructor(
    readonly code: StompErrorCode,
    message: string,
    options?: { cause?: unknown; details?: string },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.details = options?.details;
  }
  /** Longer explanation, sent as the ERROR frame's body. */
  readonly details: string | undefined;
}

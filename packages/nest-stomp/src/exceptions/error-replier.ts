import { Logger } from '@nestjs/common';
import type { StompServer, StompSession } from '@nest-stomp/core';
import { toOutboundMessage } from '../context/outbound-message.js';
import type { StompMessage } from '../context/stomp-message.js';
import { userOf } from '../routing/user-messaging.js';
import { ORIGIN_DESTINATION_HEADER, isExpectedError, toErrorPayload } from './stomp-error-payload.js';

/** The user destination handler errors go to (the client subscribes to `/user/queue/errors`). */
export const ERRORS_DESTINATION = '/queue/errors';

/**
 * Tells the sender that its frame's handler failed, on its own `/user/queue/errors` (that session
 * only), and keeps the connection: a failing handler is the application's business, not a protocol
 * error. The message carries the header `destination-origin` with the destination of the failed frame.
 */
export class ErrorReplier {
  private readonly logger = new Logger('StompModule');

  constructor(private readonly server: StompServer) {}

  /**
   * No exception filter handled `error`. `loggedByNest`: Nest's default external filter already
   * logged it (it does so for every unhandled Error that is not an IntrinsicException).
   */
  unhandled(error: unknown, session: StompSession, message: StompMessage, handler: string, loggedByNest: boolean): void {
    const payload = toErrorPayload(error);
    if (!loggedByNest && !isExpectedError(error)) {
      this.logger.error(
        `${handler} failed on ${message.command} ${message.destination}`,
        error instanceof Error ? error.stack : String(error),
      );
    } else if (Logger.isLevelEnabled('debug')) {
      this.logger.debug(`${handler} failed on ${message.command} ${message.destination}: ${payload.error}: ${payload.message}`);
    }
    this.send(payload, session, message);
  }

  /** Sends `value` (an error payload, or what an exception filter returned, a StompRecord included) to the sender's error queue. */
  send(value: unknown, session: StompSession, message: StompMessage): void {
    try {
      // A filter may return a StompRecord to add headers; `destination-origin` is always the failed frame's.
      const { body, headers } = toOutboundMessage(value, { [ORIGIN_DESTINATION_HEADER]: message.destination });
      this.server.sendToUser(userOf(session), ERRORS_DESTINATION, body, headers, session.id);
    } catch (error) {
      // Nothing left to tell the client through; the connection stays as it is.
      this.logger.error(
        `Could not send the error of ${message.command} ${message.destination} to ${ERRORS_DESTINATION}`,
        error instanceof Error ? error.stack : String(error),
      );
    }
  }
}

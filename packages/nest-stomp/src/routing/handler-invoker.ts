import type { StompSession } from '@nest-stomp/core';
import { isObservable, type Observable } from 'rxjs';
import type { StompMessage } from '../context/stomp-message.js';
import type { ErrorReplier } from '../exceptions/error-replier.js';
import type { ComposedFilters, ComposedHandler } from './handler-composer.js';
import type { ReturnValueSender } from './return-value.sender.js';

/**
 * One handler method, ready to run: composed pipeline, its exception filters, the error reply.
 * Shared by every mapping of the method (a method may carry @MessageMapping and @SubscribeMapping).
 */
export class HandlerInvoker {
  constructor(
    /** `Class.method`, for logs and errors. */
    readonly name: string,
    private readonly handle: ComposedHandler,
    private readonly filters: ComposedFilters,
    private readonly errors: ErrorReplier,
  ) {}

  /**
   * Runs the handler and sends what it returns. Never rejects: a failure is reported to the sender
   * and the session goes on. The promise settles when the last value was sent (an Observable: when
   * it completes), which is when the core sends the frame's RECEIPT and takes the session's next frame.
   */
  async invoke(session: StompSession, message: StompMessage, lookup: string, sender: ReturnValueSender): Promise<void> {
    try {
      const result = await this.handle(session, message, message.destination);
      if (isObservable(result)) {
        await (result as Observable<unknown>).forEach((value) => sender.send(value, session, message, lookup));
      } else {
        sender.send(result, session, message, lookup);
      }
    } catch (error) {
      await this.recover(error, session, message);
    }
  }

  private async recover(error: unknown, session: StompSession, message: StompMessage): Promise<void> {
    let outcome: unknown;
    try {
      outcome = await this.filters(error, session, message);
    } catch (unhandled) {
      this.errors.unhandled(unhandled, session, message, this.name, unhandled === error && unhandled instanceof Error);
      return;
    }
    // A filter handled it. What it returned (if anything) goes to the sender's error queue.
    try {
      if (isObservable(outcome)) {
        await (outcome as Observable<unknown>).forEach((value) => this.sendFiltered(value, session, message));
      } else {
        this.sendFiltered(outcome, session, message);
      }
    } catch (failure) {
      this.errors.unhandled(failure, session, message, this.name, false);
    }
  }

  private sendFiltered(value: unknown, session: StompSession, message: StompMessage): void {
    if (value !== undefined && value !== null) this.errors.send(value, session, message);
  }
}

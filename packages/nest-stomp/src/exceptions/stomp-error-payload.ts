import { HttpException, IntrinsicException } from '@nestjs/common';
import { StompError } from '@nest-stomp/core';
import { StompException } from './stomp.exception.js';

/**
 * What the sender receives on `/user/queue/errors` when a handler fails and no exception filter
 * handled it (JSON). `error` is stable and machine-readable: the exception class name
 * (`StompException`, `BadRequestException`, `ForbiddenException`...), a core error code
 * (`STOMP_QUEUE_FULL`...), or `InternalServerError` for anything unexpected (whose message is
 * never shown to clients).
 * @publicApi
 */
export interface StompErrorPayload {
  error: string;
  message: string;
  /** HTTP exceptions (e.g. from ValidationPipe): their status code. */
  status?: number;
  /** StompException details, or the list of validation messages. */
  details?: unknown;
}

/** Header on the error message naming the destination of the frame that failed. */
export const ORIGIN_DESTINATION_HEADER = 'destination-origin';

export function toErrorPayload(error: unknown): StompErrorPayload {
  if (error instanceof StompException) {
    return error.details === undefined
      ? { error: error.name, message: error.message }
      : { error: error.name, message: error.message, details: error.details };
  }
  if (error instanceof HttpException) return fromHttpException(error);
  if (error instanceof StompError) return { error: error.code, message: error.message };
  if (error instanceof IntrinsicException) return { error: error.name, message: error.message };
  return { error: 'InternalServerError', message: 'Internal server error' };
}

function fromHttpException(error: HttpException): StompErrorPayload {
  const response = error.getResponse();
  const payload: StompErrorPayload = { error: error.name, message: error.message, status: error.getStatus() };
  if (typeof response === 'object' && response !== null) {
    const message = (response as { message?: unknown }).message;
    // ValidationPipe: { message: ['name must be a string', ...], error: 'Bad Request', statusCode: 400 }.
    if (Array.isArray(message)) {
      payload.message = message.map(String).join('; ');
      payload.details = message;
    } else if (typeof message === 'string') {
      payload.message = message;
    }
  }
  return payload;
}

/** True for errors the application expects (not logged as errors: Nest's own rule). */
export function isExpectedError(error: unknown): boolean {
  return error instanceof IntrinsicException || error instanceof StompError;
}

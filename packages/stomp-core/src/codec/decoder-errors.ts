import { StompErrorCode } from '../errors/error-codes.js';
import { StompLimitError } from '../errors/stomp-limit.error.js';
import { StompProtocolError } from '../errors/stomp-protocol.error.js';
import type { StompError } from '../errors/stomp.error.js';
import { describeInvalidEscape, type EscapeFlavour } from './header-escaping.js';

// The decoder's typed errors (codes are the stable contract; messages say what was wrong).

export function malformed(message: string): StompError {
  return new StompProtocolError(StompErrorCode.MALFORMED_FRAME, message);
}

export function invalidEscape(rawName: string, rawValue: string, nameIsBad: boolean, flavour: EscapeFlavour): StompError {
  const bad = describeInvalidEscape(nameIsBad ? rawName : rawValue, flavour);
  const where = nameIsBad ? 'a header name' : `the value of header "${rawName}"`;
  return new StompProtocolError(
    StompErrorCode.INVALID_ESCAPE,
    `Undefined escape sequence ${bad} in ${where} (STOMP ${flavour === 1 ? '1.1' : '1.2'})`,
  );
}

export function lineTooLong(isCommand: boolean, max: number): StompError {
  return new StompLimitError(StompErrorCode.HEADER_TOO_LONG, `${isCommand ? 'Command' : 'Header'} line longer than ${max} bytes`);
}

export function frameTooLarge(max: number): StompError {
  return new StompLimitError(StompErrorCode.FRAME_TOO_LARGE, `Frame larger than ${max} bytes`);
}

export function tooManyHeaders(max: number): StompError {
  return new StompLimitError(StompErrorCode.TOO_MANY_HEADERS, `Frame has more than ${max} headers`);
}

/** A content-length value: a non-negative decimal integer, or -1. Huge values stay huge (the size check refuses them). */
export function parseContentLength(text: string): number {
  const length = text.length;
  if (length === 0) return -1;
  let n = 0;
  for (let i = 0; i < length; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    if (n < 1e15) n = n * 10 + d;
  }
  return n;
}

import { StompErrorCode } from '../errors/error-codes.js';
import { StompProtocolError } from '../errors/stomp-protocol.error.js';
import { isSeparator } from '../util/destination-segments.js';

/**
 * True when `destination` is under `prefix`: the prefix followed by a separator (`/` or `.`) or
 * nothing. `/topic` takes `/topic`, `/topic/a` and `/topic.a`, not `/topics`. A prefix written
 * with its separator (`/topic/`) is a plain string prefix; the empty prefix takes everything.
 */
export function isUnderPrefix(destination: string, prefix: string): boolean {
  if (!destination.startsWith(prefix)) return false;
  if (prefix.length === 0 || destination.length === prefix.length) return true;
  if (isSeparator(prefix.charCodeAt(prefix.length - 1))) return true;
  return isSeparator(destination.charCodeAt(prefix.length));
}

export function isUnderAnyPrefix(destination: string, prefixes: readonly string[]): boolean {
  for (let i = 0; i < prefixes.length; i++) if (isUnderPrefix(destination, prefixes[i]!)) return true;
  return false;
}

/**
 * The RabbitMQ-style `prefetch-count` SUBSCRIBE header: most unacknowledged messages outstanding
 * on the subscription. Absent or 0: unlimited (RabbitMQ's meaning of 0). Anything but a decimal
 * integer is an INVALID_HEADER.
 */
export function parsePrefetchCount(value: string | undefined): number {
  if (value === undefined) return 0;
  let count = 0;
  for (let i = 0; i < value.length; i++) {
    const digit = value.charCodeAt(i) - 0x30;
    if (digit < 0 || digit > 9) count = Number.NaN;
    count = count * 10 + digit;
  }
  if (value.length === 0 || !Number.isSafeInteger(count)) {
    throw new StompProtocolError(StompErrorCode.INVALID_HEADER, `Invalid prefetch-count '${value}': expected a non-negative integer`);
  }
  return count;
}

/** Rejects option values that would make the broker misbehave silently. */
export function checkPositiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`SimpleBroker option ${name} must be a positive integer, got ${value}`);
  return value;
}

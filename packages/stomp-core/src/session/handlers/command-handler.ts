import type { StompFrame } from '../../codec/stomp-frame.js';
import { StompErrorCode } from '../../errors/error-codes.js';
import { StompProtocolError } from '../../errors/stomp-protocol.error.js';
import type { StompSession } from '../stomp-session.js';

/** One STOMP client command (aedes' "one handler per packet"). */
export interface CommandHandler {
  /** May run before the session is connected (only CONNECT/STOMP). */
  readonly beforeConnect?: boolean;
  handle(session: StompSession, frame: StompFrame): void | Promise<void>;
}

/** A header the spec makes REQUIRED for this frame; missing → ERROR. */
export function requireHeader(frame: StompFrame, name: string): string {
  const value = frame.headers[name];
  if (value === undefined) {
    throw new StompProtocolError(StompErrorCode.MISSING_HEADER, `${frame.command} frame requires a '${name}' header`);
  }
  return value;
}

import { SessionState } from '../session-state.js';
import type { CommandHandler } from './command-handler.js';

/** DISCONNECT: RECEIPT (when asked) after every earlier frame took effect, then close. */
export const disconnectHandler: CommandHandler = {
  handle(session, frame) {
    if (session.state === SessionState.Connected) session.disconnected = true;
    session.close(frame.headers.receipt);
  },
};

import { SessionState } from '../session-state.js';
import type { CommandHandler } from './command-handler.js';

/** DISCONNECT: RECEIPT (when asked) after every earlier frame took effect, then close. */
export const disconnectHandler: CommandHandler = {
  handle(session, frame) {
    if (session.state === SessionState.Connected) session.disconnected = true;
    const receipt = frame.headers.receipt;
    // Behind a relay, "took effect" means the external broker confirmed (Spring forwards the DISCONNECT).
    const confirming = receipt === undefined ? undefined : session.host.broker.disconnectClient?.(session);
    if (confirming === undefined) return session.close(receipt);
    const close = (): void => session.close(receipt);
    return confirming.then(close, close);
  },
};

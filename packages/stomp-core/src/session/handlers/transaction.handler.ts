import type { StompFrame } from '../../codec/stomp-frame.js';
import type { StompSession } from '../stomp-session.js';
import { applyAck } from './ack.handler.js';
import { requireHeader, type CommandHandler } from './command-handler.js';
import { routeSend } from './send.handler.js';

export const beginHandler: CommandHandler = {
  handle(session, frame) {
    session.transactions.begin(requireHeader(frame, 'transaction'));
  },
};

export const abortHandler: CommandHandler = {
  handle(session, frame) {
    session.transactions.abort(requireHeader(frame, 'transaction'));
  },
};

/** COMMIT: the transaction's frames take effect together, in the order they were sent. */
export const commitHandler: CommandHandler = {
  handle(session, frame) {
    return applyInOrder(session, session.transactions.commit(requireHeader(frame, 'transaction')), 0);
  },
};

function applyInOrder(session: StompSession, frames: StompFrame[], from: number): void | Promise<void> {
  for (let i = from; i < frames.length; i++) {
    const frame = frames[i]!;
    const pending = frame.command === 'SEND' ? routeSend(session, frame) : applyAck(session, frame);
    // An async application handler: continue with the rest once it settled.
    if (pending) return pending.then(() => applyInOrder(session, frames, i + 1));
  }
}

import type { StompFrame } from '../../codec/stomp-frame.js';
import { StompErrorCode } from '../../errors/error-codes.js';
import { StompProtocolError } from '../../errors/stomp-protocol.error.js';
import type { StompSession } from '../stomp-session.js';
import type { CommandHandler } from './command-handler.js';

/**
 * The delivery an ACK/NACK names: STOMP 1.2 `id` (the MESSAGE's `ack` header), 1.0/1.1
 * `message-id`. Either is accepted in any version: the server gives both the same value.
 */
function ackId(frame: StompFrame): string {
  const id = frame.headers.id ?? frame.headers['message-id'];
  if (id === undefined) {
    throw new StompProtocolError(StompErrorCode.MISSING_HEADER, `${frame.command} frame requires an 'id' header`);
  }
  return id;
}

/** Takes an ACK/NACK's effect now (directly or on COMMIT). */
export function applyAck(session: StompSession, frame: StompFrame): void | Promise<void> {
  const id = ackId(frame);
  // The headers go along for a relay (RabbitMQ's NACK `requeue`); the embedded broker ignores them.
  if (frame.command === 'ACK') return session.host.broker.ack(session, id, frame.headers);
  return session.host.broker.nack(session, id, frame.headers);
}

/** ACK and NACK (STOMP 1.2: client and client-individual modes). */
export const ackHandler: CommandHandler = {
  handle(session, frame) {
    const transaction = frame.headers.transaction;
    if (transaction !== undefined) {
      ackId(frame);
      session.transactions.add(transaction, frame);
      return;
    }
    return applyAck(session, frame);
  },
};

import type { BrokerMessage } from '../../broker/message-broker.js';
import type { StompFrame, StompHeaders } from '../../codec/stomp-frame.js';
import { StompErrorCode } from '../../errors/error-codes.js';
import { StompError } from '../../errors/stomp.error.js';
import type { StompSession } from '../stomp-session.js';
import { requireHeader, type CommandHandler } from './command-handler.js';

/** SEND headers that steer the frame or that the server sets on MESSAGE; every other header reaches subscribers untouched. */
const CONTROL_HEADERS = new Set(['destination', 'content-length', 'receipt', 'transaction', 'message-id', 'subscription', 'ack']);

/** The broker's view of a SEND: user headers and body, shared by every delivery. */
export function toBrokerMessage(frame: StompFrame, destination: string): BrokerMessage {
  const headers: StompHeaders = {};
  const source = frame.headers;
  for (const name in source) {
    if (CONTROL_HEADERS.has(name)) continue;
    if (name === '__proto__') Object.defineProperty(headers, name, { value: source[name], enumerable: true, writable: true });
    else headers[name] = source[name]!;
  }
  return { destination, headers, body: frame.body };
}

/** Throws NO_HANDLER unless the broker or the application takes `destination`. */
function checkRoute(session: StompSession, destination: string): void {
  const { broker, application } = session.host;
  if (!broker.isBrokerDestination(destination) && !application?.handles(destination)) {
    throw new StompError(StompErrorCode.NO_HANDLER, `No handler for destination ${destination}`);
  }
}

/** Takes a SEND's effect now: to the broker, to the application, or an error. */
export function routeSend(session: StompSession, frame: StompFrame): void | Promise<void> {
  const destination = frame.headers.destination!;
  const { broker, application } = session.host;
  if (broker.isBrokerDestination(destination)) {
    broker.publish(toBrokerMessage(frame, destination));
    return;
  }
  checkRoute(session, destination);
  return application!.send(session, frame, destination);
}

export const sendHandler: CommandHandler = {
  handle(session, frame) {
    const destination = requireHeader(frame, 'destination');
    const transaction = frame.headers.transaction;
    if (transaction !== undefined) {
      // Check what can be checked now, so a bad frame fails here and not halfway through COMMIT.
      checkRoute(session, destination);
      session.transactions.add(transaction, frame);
      return;
    }
    return routeSend(session, frame);
  },
};

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
  // Every field spelled out, the optional ones too: the encoder's caches and the broker's id are
  // then slots of the object, set later without a new hidden class or an extra properties array.
  return { destination, headers, body: frame.body, deliveredAs: undefined, encoded: undefined, id: undefined, idLine: undefined };
}

/**
 * Checks what can be checked before a SEND takes effect (at once, or when its transaction
 * commits): a well-formed user destination, no other session's resolved user destination
 * (ACCESS_DENIED), and somebody to take it (NO_HANDLER).
 */
function checkRoute(session: StompSession, destination: string): void {
  const { broker, application, userDestinations } = session.host;
  if (userDestinations.isUserDestination(destination)) {
    userDestinations.parse(destination);
    return;
  }
  if (broker.isBrokerDestination(destination)) {
    userDestinations.checkAccess(destination, session);
    return;
  }
  if (!application?.handles(destination)) {
    throw new StompError(StompErrorCode.NO_HANDLER, `No handler for destination ${destination}`);
  }
}

/** Takes a SEND's effect now: to the user's sessions, to the broker, to the application, or an error. */
export function routeSend(session: StompSession, frame: StompFrame): void | Promise<void> {
  const destination = frame.headers.destination!;
  const { broker, application, userDestinations } = session.host;
  if (userDestinations.isUserDestination(destination)) {
    // `/user/alice/queue/x`: every session of alice, nobody else.
    const message = toBrokerMessage(frame, destination);
    userDestinations.publish(destination, message.headers, message.body);
    return;
  }
  if (broker.isBrokerDestination(destination)) {
    userDestinations.checkAccess(destination, session);
    // The session and the frame's headers go along for a relay (its own broker connection, receipts).
    return broker.publish(toBrokerMessage(frame, destination), session, frame.headers);
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

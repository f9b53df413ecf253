import type { AckMode } from '../../broker/message-broker.js';
import type { StompFrame } from '../../codec/stomp-frame.js';
import { StompErrorCode } from '../../errors/error-codes.js';
import { StompError } from '../../errors/stomp.error.js';
import { StompProtocolError } from '../../errors/stomp-protocol.error.js';
import type { StompSession } from '../stomp-session.js';
import { requireHeader, type CommandHandler } from './command-handler.js';

const ACK_MODES = new Set<string>(['auto', 'client', 'client-individual']);

export const subscribeHandler: CommandHandler = {
  handle(session, frame) {
    const destination = requireHeader(frame, 'destination');
    // STOMP 1.1+: `id` is REQUIRED; 1.0 allowed none, the destination then names the subscription.
    const id = session.version === '1.0' ? (frame.headers.id ?? destination) : requireHeader(frame, 'id');
    const ack = frame.headers.ack ?? 'auto';
    if (!ACK_MODES.has(ack)) {
      throw new StompProtocolError(StompErrorCode.INVALID_HEADER, `Invalid ack mode '${ack}' (auto, client or client-individual)`);
    }
    const { broker, application, userDestinations } = session.host;
    // `/user/queue/x` → `/queue/x-user<sessionId>`; another session's resolved name is refused.
    let target = destination;
    if (userDestinations.isUserDestination(destination)) target = userDestinations.resolveSubscription(destination, session);
    else if (broker.isBrokerDestination(destination)) userDestinations.checkAccess(destination, session);
    if (broker.isBrokerDestination(target)) {
      const pending = broker.subscribe(session, id, target, ack as AckMode, frame.headers);
      subscribed(session, id, destination, frame);
      return pending; // a relay waiting for the external broker's RECEIPT
    }
    if (application?.handles(destination)) {
      session.applicationSubscriptions.add(id);
      subscribed(session, id, destination, frame);
      return application.subscribe(session, frame, destination, id);
    }
    throw new StompError(StompErrorCode.NO_HANDLER, `No handler for destination ${destination}`);
  },
};

/** The subscription exists: remembered (for UNSUBSCRIBE events), registered, announced. */
function subscribed(session: StompSession, id: string, destination: string, frame: StompFrame): void {
  session.subscriptions.set(id, destination);
  session.host.sessionSubscribed(session, { id, destination, headers: frame.headers });
}

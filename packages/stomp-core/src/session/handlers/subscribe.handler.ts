import type { AckMode } from '../../broker/message-broker.js';
import { StompErrorCode } from '../../errors/error-codes.js';
import { StompError } from '../../errors/stomp.error.js';
import { StompProtocolError } from '../../errors/stomp-protocol.error.js';
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
    const { broker, application } = session.host;
    if (broker.isBrokerDestination(destination)) {
      broker.subscribe(session, id, destination, ack as AckMode, frame.headers);
      return;
    }
    if (application?.handles(destination)) {
      session.applicationSubscriptions.add(id);
      return application.subscribe(session, frame, destination, id);
    }
    throw new StompError(StompErrorCode.NO_HANDLER, `No handler for destination ${destination}`);
  },
};

import { requireHeader, type CommandHandler } from './command-handler.js';

export const unsubscribeHandler: CommandHandler = {
  handle(session, frame) {
    // STOMP 1.0 allowed naming the subscription by destination instead of id.
    const id = session.version === '1.0' ? (frame.headers.id ?? requireHeader(frame, 'destination')) : requireHeader(frame, 'id');
    if (!session.applicationSubscriptions.delete(id)) session.host.broker.unsubscribe(session, id); // throws UNKNOWN_SUBSCRIPTION
    const destination = session.subscriptions.get(id);
    if (destination === undefined) return;
    session.subscriptions.delete(id);
    session.host.sessionUnsubscribed(session, { id, destination });
  },
};

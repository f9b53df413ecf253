import { requireHeader, type CommandHandler } from './command-handler.js';

export const unsubscribeHandler: CommandHandler = {
  handle(session, frame) {
    // STOMP 1.0 allowed naming the subscription by destination instead of id.
    const id = session.version === '1.0' ? (frame.headers.id ?? requireHeader(frame, 'destination')) : requireHeader(frame, 'id');
    let pending: void | Promise<void> = undefined;
    // Throws UNKNOWN_SUBSCRIPTION; a relay may answer with a Promise (its broker's RECEIPT).
    if (!session.applicationSubscriptions.delete(id)) pending = session.host.broker.unsubscribe(session, id, frame.headers);
    const destination = session.subscriptions.get(id);
    if (destination === undefined) return pending;
    session.subscriptions.delete(id);
    session.host.sessionUnsubscribed(session, { id, destination });
    return pending;
  },
};

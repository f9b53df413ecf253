import type { MessageBroker } from '../broker/message-broker.js';
import type { StompError } from '../errors/stomp.error.js';
import type { StompServerOptions } from '../server/stomp-server-options.js';
import type { ApplicationHandler } from './application-handler.js';
import type { StompSession } from './stomp-session.js';

/** What a session needs from the server that owns it. */
export interface SessionHost {
  readonly options: StompServerOptions;
  readonly broker: MessageBroker;
  readonly application: ApplicationHandler | undefined;
  newSessionId(): string;
  /** Asks for session.flush() once at the end of this turn of the event loop. */
  scheduleFlush(session: StompSession): void;
  sessionConnected(session: StompSession): void;
  sessionClosed(session: StompSession, error: StompError | undefined): void;
}

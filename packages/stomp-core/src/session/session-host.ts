import type { MessageBroker } from '../broker/message-broker.js';
import type { StompHeaders } from '../codec/stomp-frame.js';
import type { StompError } from '../errors/stomp.error.js';
import type { CsrfCheck } from '../security/csrf-check.js';
import type { DestinationRules } from '../security/destination-rules.js';
import type { StompServerOptions } from '../server/stomp-server-options.js';
import type { UserDestinationResolver } from '../user/user-destination-resolver.js';
import type { ApplicationHandler } from './application-handler.js';
import type { ConnectDeadlines } from './connect-deadlines.js';
import type { DeliveryLinger } from './delivery-linger.js';
import type { HeartbeatScheduler } from './heartbeat-scheduler.js';
import type { StompSession } from './stomp-session.js';

/** A SUBSCRIBE that took effect, as events and the user registry see it. */
export interface SessionSubscription {
  readonly id: string;
  /** As the client subscribed it (`/user/queue/x`, not the resolved name). */
  readonly destination: string;
  readonly headers: StompHeaders;
}

/** What a session needs from the server that owns it. */
export interface SessionHost {
  readonly options: StompServerOptions;
  readonly broker: MessageBroker;
  readonly application: ApplicationHandler | undefined;
  readonly userDestinations: UserDestinationResolver;
  /** Compiled destination rules (server option `rules`); undefined when there are none. */
  readonly rules: DestinationRules | undefined;
  /** CSRF check on CONNECT (server option `csrf`); undefined when off. */
  readonly csrf: CsrfCheck | undefined;
  /** The heart-beat timers of all its sessions. */
  readonly heartbeatScheduler: HeartbeatScheduler;
  /** Sessions waiting for their first frame (server option `timeToFirstFrame`); undefined when it is 0. */
  readonly connectDeadlines: ConnectDeadlines<StompSession> | undefined;
  /** Where MESSAGEs of a session written to moments ago wait for the next ones (relay option `linger`); undefined: none wait. */
  readonly deliveryLinger?: DeliveryLinger<StompSession> | undefined;
  newSessionId(): string;
  /** Asks for session.flush() once at the end of this turn of the event loop. */
  scheduleFlush(session: StompSession): void;
  /** A CONNECT was received and is valid; authentication comes next. */
  sessionConnect(session: StompSession, headers: StompHeaders): void;
  sessionConnected(session: StompSession): void;
  sessionSubscribed(session: StompSession, subscription: SessionSubscription): void;
  sessionUnsubscribed(session: StompSession, subscription: { readonly id: string; readonly destination: string }): void;
  sessionClosed(session: StompSession, error: StompError | undefined): void;
}

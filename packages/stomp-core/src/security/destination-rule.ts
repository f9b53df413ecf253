import type { BrokerMessage, Subscription } from '../broker/message-broker.js';
import type { StompFrame } from '../codec/stomp-frame.js';
import type { StompPrincipal, StompSession } from '../session/stomp-session.js';

/**
 * Frame types a destination rule can name (Spring's SimpMessageType, in STOMP's words). `STOMP`
 * frames count as CONNECT; MESSAGE is the server's delivery to a subscription (outbound).
 */
export type RuleFrameType =
  | 'CONNECT'
  | 'SEND'
  | 'SUBSCRIBE'
  | 'UNSUBSCRIBE'
  | 'ACK'
  | 'NACK'
  | 'BEGIN'
  | 'COMMIT'
  | 'ABORT'
  | 'DISCONNECT'
  | 'MESSAGE';

/** Matches every frame without a `destination` header (Spring's `nullDestMatcher()`). */
export const NO_DESTINATION = 'NO_DESTINATION';
export type RuleFrameSelector = RuleFrameType | typeof NO_DESTINATION;

/** What a rule's decision sees. */
export interface AccessRequest {
  /** The frame type (`STOMP` reported as CONNECT). */
  readonly command: RuleFrameType;
  /** The destination as the client wrote it (`/user/queue/x`, not the resolved name); undefined without one. */
  readonly destination: string | undefined;
  /** The `{var}` captures of the rule's matching pattern (empty without one). */
  readonly variables: Readonly<Record<string, string>>;
  readonly session: StompSession;
  readonly principal: StompPrincipal | undefined;
  /** The inbound frame (headers, body); for MESSAGE the frame is not built: see `message`. */
  readonly frame: StompFrame | undefined;
  /** MESSAGE only: the message about to be delivered and the subscription it goes to. */
  readonly message?: BrokerMessage | undefined;
  readonly subscription?: Subscription | undefined;
}

/**
 * A custom decision: true permits. May be async for inbound frames (the session's later frames
 * wait for it); on MESSAGE it must answer synchronously (a Promise counts as deny).
 */
export type AccessVoter = (request: AccessRequest) => boolean | PromiseLike<boolean>;

/**
 * permit · deny · authenticated (the session has a principal) · a voter · voters that must all
 * permit (Nest guard classes become voters in the Nest module).
 */
export type RuleAccess = 'permit' | 'deny' | 'authenticated' | AccessVoter | readonly AccessVoter[];

/**
 * One destination rule (Spring Security's message matcher + its authorization). A rule matches a
 * frame when its type is in `frames` (default: every type) and, with `destinations`, when the
 * frame has a destination matching one of the patterns (`@MessageMapping` syntax: `{var}`, `*`,
 * `**`, `/` or `.`). Rules are ordered: the first match decides; once rules exist, a frame no rule
 * matches is denied.
 */
export interface DestinationRule {
  frames?: readonly RuleFrameSelector[];
  destinations?: readonly string[];
  access: RuleAccess;
}

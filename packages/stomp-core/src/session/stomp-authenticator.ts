import type { IncomingMessage } from 'node:http';
import type { StompHeaders } from '../codec/stomp-frame.js';
import type { StompPrincipal, StompSession } from './stomp-session.js';

/** What an authenticator sees of a CONNECT. */
export interface StompAuthenticationRequest {
  /** The CONNECT frame's headers (`login`, `passcode`, custom token headers...). */
  readonly headers: StompHeaders;
  readonly session: StompSession;
  /** The HTTP upgrade request of a WebSocket session (cookies, query string); undefined over TCP. */
  readonly upgradeRequest?: IncomingMessage | undefined;
}

/**
 * Server option `authenticate`: runs on CONNECT before CONNECTED. Its result becomes
 * `session.principal` (undefined: an anonymous session); a throw or rejection refuses the
 * connection with ERROR (code STOMP_AUTHENTICATION_FAILED; the message of a thrown StompError,
 * else 'Authentication failed') and closes it. Frames the client sent after CONNECT wait for it.
 */
export type StompAuthenticator = (
  request: StompAuthenticationRequest,
) => StompPrincipal | undefined | Promise<StompPrincipal | undefined>;

/** The same function type under a name that cannot be mistaken for nest-stomp's `StompAuthenticator` provider interface. */
export type StompAuthenticateFunction = StompAuthenticator;

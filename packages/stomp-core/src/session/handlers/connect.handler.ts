import { STOMP_VERSIONS, type StompFrame, type StompHeaders, type StompVersion } from '../../codec/stomp-frame.js';
import { StompErrorCode } from '../../errors/error-codes.js';
import { StompError } from '../../errors/stomp.error.js';
import { StompProtocolError } from '../../errors/stomp-protocol.error.js';
import type { StompAuthenticator } from '../stomp-authenticator.js';
import type { StompPrincipal, StompSession } from '../stomp-session.js';
import { negotiateHeartbeat, parseHeartbeat } from '../heartbeat.js';
import { SessionState } from '../session-state.js';
import type { CommandHandler } from './command-handler.js';

/**
 * STOMP 1.2 "Protocol Negotiation": the highest version both sides speak; a client without
 * `accept-version` speaks 1.0 only.
 */
export function negotiateVersion(acceptVersion: string | undefined): StompVersion | undefined {
  if (acceptVersion === undefined) return '1.0';
  const offered = acceptVersion.split(',');
  for (let i = STOMP_VERSIONS.length - 1; i >= 0; i--) {
    const version = STOMP_VERSIONS[i]!;
    if (offered.includes(version)) return version;
  }
  return undefined;
}

/** CONNECT and STOMP (STOMP 1.2: servers MUST handle STOMP like CONNECT). */
export const connectHandler: CommandHandler = {
  beforeConnect: true,
  handle(session, frame) {
    if (session.state !== SessionState.Connecting) {
      throw new StompProtocolError(StompErrorCode.ALREADY_CONNECTED, 'Session is already connected');
    }
    const headers = frame.headers;
    const version = negotiateVersion(headers['accept-version']);
    if (!version) {
      throw new StompProtocolError(
        StompErrorCode.UNSUPPORTED_VERSION,
        `Supported protocol versions are ${STOMP_VERSIONS.join(' ')}`,
      );
    }
    // `host` is REQUIRED by 1.1/1.2 but browsers (stompjs) omit it: accept it missing or any value.
    const heartbeat = parseHeartbeat(headers['heart-beat']);
    session.host.sessionConnect(session, headers);
    // CSRF first (a forged CONNECT must not even reach the authenticator), then authentication,
    // then the CONNECT destination rule, which may require the principal.
    session.host.csrf?.check(headers, session.upgradeRequest);
    const finish = (): void | Promise<void> => complete(session, version, headers, heartbeat);
    const authenticated = authenticate(session, headers);
    if (authenticated === undefined) return authorize(session, frame, finish);
    return authenticated.then(() => {
      // The client may have gone (or timed out) while we waited.
      if (session.state === SessionState.Connecting) return authorize(session, frame, finish);
    });
  },
};

/** Sets `session.principal` from the `authenticate` option; a Promise only when the authenticator is async. */
function authenticate(session: StompSession, headers: StompHeaders): Promise<void> | undefined {
  const authenticator = session.host.options.authenticate;
  if (authenticator === undefined) return undefined;
  let result: ReturnType<StompAuthenticator>;
  try {
    result = authenticator({ headers, session, upgradeRequest: session.upgradeRequest });
  } catch (error) {
    throw authenticationFailed(error);
  }
  if (!isPromiseLike(result)) {
    session.principal = checkPrincipal(result);
    return undefined;
  }
  return Promise.resolve(result).then(
    (principal) => {
      if (session.state === SessionState.Connecting) session.principal = checkPrincipal(principal);
    },
    (error: unknown) => {
      throw authenticationFailed(error);
    },
  );
}

/** The CONNECT destination rule (when rules exist), then `finish`. */
function authorize(session: StompSession, frame: StompFrame, finish: () => void | Promise<void>): void | Promise<void> {
  const checked = session.host.rules?.enforce(session, frame);
  if (!checked) return finish();
  return checked.then(() => {
    if (session.state === SessionState.Connecting) return finish();
  });
}

function complete(session: StompSession, version: StompVersion, headers: StompHeaders, heartbeat: [number, number]): void | Promise<void> {
  const options = session.host.options;
  const { sendEvery, expectEvery } = negotiateHeartbeat(heartbeat, options.heartbeat);
  const connected: Record<string, string> = {
    version,
    session: session.id,
    server: options.serverName,
    'heart-beat': `${options.heartbeat[0]},${options.heartbeat[1]}`,
  };
  if (session.principal) connected['user-name'] = session.principal.name;
  // A relay attaches the session asynchronously (its own broker connection): CONNECTED waits.
  const attaching = session.accept(version, headers, sendEvery, expectEvery);
  if (attaching !== undefined) return attaching.then(() => sendConnected(session, connected));
  sendConnected(session, connected);
}

function sendConnected(session: StompSession, connected: Record<string, string>): void {
  if (session.state !== SessionState.Connected) return; // gone while the broker attached it
  session.sendFrame('CONNECTED', connected);
  // After CONNECTED: session-connected listeners may already send to the session.
  // (Unless an outbound interceptor failed the session on CONNECTED.)
  if (session.state === SessionState.Connected) session.host.sessionConnected(session);
}

/** Always AUTHENTICATION_FAILED; a StompError's message is shown, anything else's is not. */
function authenticationFailed(error: unknown): StompError {
  if (error instanceof StompError) {
    if (error.code === StompErrorCode.AUTHENTICATION_FAILED) return error;
    return new StompError(StompErrorCode.AUTHENTICATION_FAILED, error.message, { cause: error, details: error.details });
  }
  return new StompError(StompErrorCode.AUTHENTICATION_FAILED, 'Authentication failed', { cause: error });
}

/** A principal must have a name (it addresses /user destinations); null counts as none. */
function checkPrincipal(principal: StompPrincipal | null | undefined): StompPrincipal | undefined {
  if (principal === null || principal === undefined) return undefined;
  if (typeof principal.name !== 'string' || principal.name.length === 0) {
    throw authenticationFailed(new TypeError('authenticate returned a principal without a name'));
  }
  return principal;
}

function isPromiseLike<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as { then?: unknown } | undefined)?.then === 'function';
}

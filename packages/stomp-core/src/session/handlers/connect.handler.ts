import { STOMP_VERSIONS, type StompVersion } from '../../codec/stomp-frame.js';
import { StompErrorCode } from '../../errors/error-codes.js';
import { StompProtocolError } from '../../errors/stomp-protocol.error.js';
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
    const options = session.host.options;
    const { sendEvery, expectEvery } = negotiateHeartbeat(parseHeartbeat(headers['heart-beat']), options.heartbeat);
    const connected: Record<string, string> = {
      version,
      session: session.id,
      server: options.serverName,
      'heart-beat': `${options.heartbeat[0]},${options.heartbeat[1]}`,
    };
    if (session.principal) connected['user-name'] = session.principal.name;
    session.accept(version, headers, sendEvery, expectEvery);
    session.sendFrame('CONNECTED', connected);
  },
};

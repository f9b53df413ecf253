import type { StompSession } from '@nest-stomp/core';

/**
 * The user a session's replies and errors are addressed to (`server.sendToUser`): its principal's
 * name, or the session id when it has none (an anonymous session is reachable as its own user, as
 * in Spring).
 */
export function userOf(session: StompSession): string {
  return session.principal?.name ?? session.id;
}

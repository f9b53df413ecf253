import { StompError, StompErrorCode, type StompAuthenticationRequest, type StompPrincipal } from 'nest-stomp';

/** A chat name: one destination segment (it appears in `/user/{name}/...`), short, no separators. */
export const CHAT_NAME = /^[A-Za-z0-9_-]{1,32}$/;

/**
 * The demo's `authenticate` option: the CONNECT `login` header is the user's name, no password
 * (a real application checks `passcode` or a token here). Without `login` the session stays
 * anonymous: it may read and post, but has no presence and gets no private messages.
 */
export function authenticateChatUser({ headers }: StompAuthenticationRequest): StompPrincipal | undefined {
  const login = headers.login?.trim();
  if (!login) return undefined;
  if (!CHAT_NAME.test(login)) {
    throw new StompError(
      StompErrorCode.AUTHENTICATION_FAILED,
      `Invalid name '${login.slice(0, 40)}': 1 to 32 letters, digits, '-' or '_'`,
    );
  }
  return { name: login };
}

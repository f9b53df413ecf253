import type { StompAuthenticationRequest, StompPrincipal } from '@nest-stomp/core';

/**
 * An authenticator provider (module option `authenticator: MyAuthenticator`), resolved through DI
 * so it can inject a users service, a JWT verifier... It runs on every CONNECT (WebSocket and TCP)
 * before CONNECTED and sees the CONNECT headers (`login`, `passcode`, token headers) and, on
 * WebSocket, the HTTP upgrade request (headers, cookies, query string).
 *
 * Return the principal (its `name` is the user of `/user/...` destinations and CONNECTED's
 * `user-name`), `undefined` for an anonymous session, or throw / reject to refuse the connection:
 * ERROR (code STOMP_AUTHENTICATION_FAILED; the message of a thrown StompError/StompException, else
 * 'Authentication failed') and the close, nothing after the CONNECT processed.
 * @publicApi
 */
export interface StompAuthenticator {
  authenticate(request: StompAuthenticationRequest): StompPrincipal | undefined | Promise<StompPrincipal | undefined>;
}

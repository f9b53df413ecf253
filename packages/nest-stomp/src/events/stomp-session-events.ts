import type { StompError, StompErrorCode, StompHeaders, StompPrincipal, StompSession } from '@nest-stomp/core';

/**
 * What every session event carries (Spring's AbstractSubProtocolEvent): the session, its id and
 * its user. The session is live: `attributes` may be read and written.
 */
export abstract class StompSessionEvent {
  constructor(readonly session: StompSession) {}

  get sessionId(): string {
    return this.session.id;
  }

  /**
   * The client's address: the socket's peer, or over WebSocket behind a trusted proxy
   * (`endpoint.trustProxy`) the forwarded one.
   */
  get remoteAddress(): string | undefined {
    return this.session.remoteAddress;
  }

  /** The authenticated user, once CONNECTED (undefined for anonymous sessions and in SessionConnectEvent). */
  get principal(): StompPrincipal | undefined {
    return this.session.principal;
  }
}

/** A valid CONNECT arrived, before authentication (Spring's SessionConnectEvent): its headers, `login` included. */
export class SessionConnectEvent extends StompSessionEvent {
  constructor(
    session: StompSession,
    /** The CONNECT frame's headers (`passcode` too: do not log them as they are). */
    readonly headers: Readonly<StompHeaders>,
  ) {
    super(session);
  }
}

/** CONNECTED was sent: the session is authenticated and may send and subscribe (Spring's SessionConnectedEvent). */
export class SessionConnectedEvent extends StompSessionEvent {}

/** A SUBSCRIBE took effect (Spring's SessionSubscribeEvent), to the broker or to a @SubscribeMapping. */
export class SessionSubscribeEvent extends StompSessionEvent {
  constructor(
    session: StompSession,
    readonly subscriptionId: string,
    /** As the client subscribed it (`/user/queue/x`, `/app/rooms`, `/topic/chat.*`). */
    readonly destination: string,
    readonly headers: Readonly<StompHeaders>,
  ) {
    super(session);
  }
}

/** An UNSUBSCRIBE took effect (Spring's SessionUnsubscribeEvent). */
export class SessionUnsubscribeEvent extends StompSessionEvent {
  constructor(
    session: StompSession,
    readonly subscriptionId: string,
    readonly destination: string,
  ) {
    super(session);
  }
}

/**
 * Why a session ended:
 * - `'disconnect'`: the client sent DISCONNECT;
 * - `'connection-closed'`: the connection went away without DISCONNECT (tab closed, network lost);
 * - `'error'`: the server ended it (`error` says why: protocol error, heart-beat timeout, slow
 *   consumer, refused CONNECT, `STOMP_SERVER_SHUTDOWN`...).
 */
export type SessionDisconnectReason = 'disconnect' | 'connection-closed' | 'error';

/**
 * The session ended (Spring's SessionDisconnectEvent, but exactly once per session). Sent for every
 * session, also one that never got CONNECTED (`wasConnected` false), so it pairs with
 * SessionConnectEvent. By the time it is sent the session's subscriptions are gone.
 */
export class SessionDisconnectEvent extends StompSessionEvent {
  readonly reason: SessionDisconnectReason;

  constructor(
    session: StompSession,
    /** Set when `reason` is `'error'`. */
    readonly error: StompError | undefined,
  ) {
    super(session);
    this.reason = error !== undefined ? 'error' : session.disconnected ? 'disconnect' : 'connection-closed';
  }

  /** The error's stable code (`STOMP_HEARTBEAT_TIMEOUT`...), when `reason` is `'error'`. */
  get code(): StompErrorCode | undefined {
    return this.error?.code;
  }

  /** The session had been CONNECTED (false: it failed or left before). */
  get wasConnected(): boolean {
    return this.session.connectHeaders !== undefined;
  }
}

/** The events `@OnStompEvent` listens to, by name, with what the listener receives. */
export interface StompEventMap {
  'session-connect': SessionConnectEvent;
  'session-connected': SessionConnectedEvent;
  'session-subscribe': SessionSubscribeEvent;
  'session-unsubscribe': SessionUnsubscribeEvent;
  'session-disconnect': SessionDisconnectEvent;
}

export type StompEventName = keyof StompEventMap;

import type { BrokerMessage, MessageBroker } from '../broker/message-broker.js';
import type { StompHeaders } from '../codec/stomp-frame.js';
import { StompErrorCode } from '../errors/error-codes.js';
import { StompError } from '../errors/stomp.error.js';
import { StompProtocolError } from '../errors/stomp-protocol.error.js';
import { SessionState } from '../session/session-state.js';
import type { StompSession } from '../session/stomp-session.js';
import { isPattern } from '../util/destination-pattern.js';
import type { UserRegistry } from './user-registry.js';

/** Between a destination and the session id in a resolved name (Spring's `-user{sessionId}`). */
export const USER_SUFFIX = '-user';
const SLASH = 0x2f;

/** A send to `/user/{user}/queue/x`, taken apart. */
export interface ParsedUserDestination {
  /** The user part: a principal name (`%2F` decoded to `/`) or a session id. */
  readonly user: string;
  /** The destination without prefix and user: `/queue/x`. */
  readonly destination: string;
  /** What the user's sessions subscribe to, shown as MESSAGE `destination`: `/user/queue/x`. */
  readonly subscribeDestination: string;
}

/** The broker destination of `destination` for one session: `/queue/x` → `/queue/x-user<sessionId>`. */
export function resolvedUserDestination(destination: string, sessionId: string): string {
  return `${destination}${USER_SUFFIX}${sessionId}`;
}

/**
 * User destinations (Spring's DefaultUserDestinationResolver), with the prefix `/user`:
 * - SUBSCRIBE `/user/queue/x` → `/queue/x-user<sessionId>`: a destination unique to the session;
 * - a send to `/user/alice/queue/x` → `/queue/x-user<id>` for every session of alice; a user part
 *   that is no principal's name but a live session's id addresses that session (anonymous sessions);
 * - the MESSAGE `destination` shows `/user/queue/x` (BrokerMessage.deliveredAs), never the resolved
 *   name, and the broker gives such messages to exact subscriptions of that name only, so a
 *   pattern subscription (`/topic/**`) never reads someone else's user messages;
 * - a client may not SUBSCRIBE or SEND to another live session's resolved name (ACCESS_DENIED).
 *
 * Session ids must not contain `-user` (the server's ids contain no `-`): the owner of a resolved
 * name is the text after its last `-user`.
 */
export class UserDestinationResolver {
  /** The prefix without a trailing slash (`/user`). */
  readonly prefix: string;

  constructor(
    prefix: string,
    private readonly registry: UserRegistry,
    private readonly sessions: ReadonlyMap<string, StompSession>,
    private readonly broker: MessageBroker,
  ) {
    const base = prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
    if (base.length === 0 || base.charCodeAt(0) !== SLASH) {
      throw new RangeError(`userDestinationPrefix must start with '/' and name a segment, got '${prefix}'`);
    }
    this.prefix = base;
  }

  /** True for `/user/...` (the prefix followed by `/`). */
  isUserDestination(destination: string): boolean {
    return destination.startsWith(this.prefix) && destination.charCodeAt(this.prefix.length) === SLASH;
  }

  /** SUBSCRIBE/UNSUBSCRIBE side: `/user/queue/x` → `/queue/x-user<sessionId>`; the session keeps the name (dropped at close). */
  resolveSubscription(destination: string, session: StompSession): string {
    const target = destination.slice(this.prefix.length);
    this.checkTarget(target, destination);
    const resolved = resolvedUserDestination(target, session.id);
    session.resolvedDestinations.add(resolved);
    return resolved;
  }

  /** Takes `/user/{user}/queue/x` apart. Throws INVALID_HEADER (no user or no destination) or NO_HANDLER. */
  parse(destination: string): ParsedUserDestination {
    const start = this.prefix.length + 1;
    const slash = destination.indexOf('/', start);
    if (slash <= start) {
      throw new StompProtocolError(
        StompErrorCode.INVALID_HEADER,
        `User destination '${destination}' must look like ${this.prefix}/{user}/{destination}`,
      );
    }
    const raw = destination.slice(start, slash);
    const user = raw.includes('%2F') ? raw.replaceAll('%2F', '/') : raw;
    const target = destination.slice(slash);
    this.checkTarget(target, destination);
    return { user, destination: target, subscribeDestination: this.prefix + target };
  }

  /**
   * The open sessions `user` addresses: every session of the principal named `user`, else the
   * live session whose id is `user`. With `sessionId`, only that one of them (or none).
   */
  targetSessions(user: string, sessionId?: string): StompSession[] {
    const found = this.registry.getUser(user);
    const targets: StompSession[] = [];
    if (found !== undefined) {
      if (sessionId !== undefined) {
        if (found.sessions.has(sessionId)) pushOpen(targets, this.sessions.get(sessionId));
      } else {
        for (const id of found.sessions.keys()) pushOpen(targets, this.sessions.get(id));
      }
    } else if (sessionId === undefined || sessionId === user) {
      pushOpen(targets, this.sessions.get(user));
    }
    return targets;
  }

  /** A client SEND or server.publish to `/user/alice/queue/x`: to every session of alice. */
  publish(destination: string, headers: StompHeaders, body: Buffer): void {
    const parsed = this.parse(destination);
    this.broadcast(parsed.user, parsed.destination, headers, body, undefined);
    this.deliver(this.targetSessions(parsed.user), parsed, headers, body);
  }

  /**
   * server.sendToUser: `destination` without the prefix (`/queue/errors`). Delivered to each target
   * session's `/user/queue/errors` subscriptions (held in its queue until it subscribes).
   */
  sendToUser(user: string, destination: string, headers: StompHeaders, body: Buffer, sessionId?: string, localOnly = false): void {
    const target = destination.charCodeAt(0) === SLASH ? destination : `/${destination}`;
    this.checkTarget(target, this.prefix + target);
    if (!localOnly) this.broadcast(user, target, headers, body, sessionId);
    this.deliver(this.targetSessions(user, sessionId), { user, destination: target, subscribeDestination: this.prefix + target }, headers, body);
  }

  /**
   * Refuses a SUBSCRIBE/SEND by `session` to a resolved name of another live session
   * (`/queue/x-user<otherId>`): one lastIndexOf and one Map lookup, no scan. Names like
   * `/topic/new-users` stay legal (no live session is called `s`).
   */
  checkAccess(destination: string, session: StompSession): void {
    const at = destination.lastIndexOf(USER_SUFFIX);
    if (at === -1) return;
    const owner = destination.slice(at + USER_SUFFIX.length);
    if (owner.length === 0 || owner === session.id || !this.sessions.has(owner)) return;
    throw new StompError(StompErrorCode.ACCESS_DENIED, `Access denied to destination ${destination}`);
  }

  /**
   * Behind a relay shared by several app instances, the user may have sessions on the others:
   * they get the message through the broker too (skipped for a live local session's own id).
   */
  private broadcast(user: string, destination: string, headers: StompHeaders, body: Buffer, sessionId: string | undefined): void {
    if (this.broker.broadcastToUser === undefined) return;
    if (this.registry.getUser(user) === undefined && this.sessions.has(user)) return; // a local anonymous session
    if (sessionId !== undefined && this.sessions.has(sessionId)) return;
    this.broker.broadcastToUser(user, destination, headers, body, sessionId);
  }

  /** One broker message per target session; a failing target (QUEUE_FULL) does not stop the others, its error is thrown after. */
  private deliver(targets: readonly StompSession[], parsed: ParsedUserDestination, headers: StompHeaders, body: Buffer): void {
    let failure: unknown;
    for (let i = 0; i < targets.length; i++) {
      const session = targets[i]!;
      if (session.state !== SessionState.Connected) continue; // closed by an earlier delivery
      const resolved = resolvedUserDestination(parsed.destination, session.id);
      session.resolvedDestinations.add(resolved);
      const message: BrokerMessage = { destination: resolved, deliveredAs: parsed.subscribeDestination, headers, body };
      try {
        this.broker.publish(message);
      } catch (error) {
        failure ??= error;
      }
    }
    if (failure !== undefined) throw failure;
  }

  /** The part after the prefix must be a concrete broker destination. */
  private checkTarget(target: string, destination: string): void {
    if (target.length <= 1) {
      throw new StompProtocolError(StompErrorCode.INVALID_HEADER, `User destination '${destination}' names no destination`);
    }
    if (isPattern(target)) {
      throw new StompProtocolError(StompErrorCode.INVALID_HEADER, `Wildcards are not allowed in user destinations ('${destination}')`);
    }
    if (!this.broker.isBrokerDestination(target)) {
      throw new StompError(StompErrorCode.NO_HANDLER, `No handler for destination ${destination}`);
    }
  }
}

function pushOpen(targets: StompSession[], session: StompSession | undefined): void {
  if (session !== undefined && session.state === SessionState.Connected) targets.push(session);
}

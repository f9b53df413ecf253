/**
 * Who is connected (Spring's SimpUserRegistry): users by principal name, their sessions and
 * their subscriptions. Only sessions with a principal are users; anonymous sessions are reachable
 * by their session id through the user destination resolver, not listed here.
 *
 * The server feeds it from session events (connected, subscribe, unsubscribe, closed); the views
 * it hands out are live, read-only maps.
 */

export interface StompUserSubscription {
  /** SUBSCRIBE `id`. */
  readonly id: string;
  /** The destination as the client subscribed it (`/user/queue/x`, not the resolved name). */
  readonly destination: string;
  readonly session: StompUserSession;
}

export interface StompUserSession {
  /** The STOMP session id. */
  readonly id: string;
  readonly user: StompUser;
  readonly subscriptions: ReadonlyMap<string, StompUserSubscription>;
}

export interface StompUser {
  /** The principal name. */
  readonly name: string;
  /** Its open sessions, by session id (one user may be connected several times). */
  readonly sessions: ReadonlyMap<string, StompUserSession>;
}

class UserEntry implements StompUser {
  readonly sessions = new Map<string, SessionEntry>();
  constructor(readonly name: string) {}
}

class SessionEntry implements StompUserSession {
  readonly subscriptions = new Map<string, StompUserSubscription>();
  constructor(
    readonly id: string,
    readonly user: UserEntry,
  ) {}
}

export class UserRegistry {
  private readonly users = new Map<string, UserEntry>();
  private readonly bySession = new Map<string, SessionEntry>();

  getUser(name: string): StompUser | undefined {
    return this.users.get(name);
  }

  getUsers(): StompUser[] {
    return [...this.users.values()];
  }

  get userCount(): number {
    return this.users.size;
  }

  /** Every subscription of every user session that satisfies `predicate` (Spring's findSubscriptions). */
  findSubscriptions(predicate: (subscription: StompUserSubscription) => boolean): StompUserSubscription[] {
    const found: StompUserSubscription[] = [];
    for (const user of this.users.values()) {
      for (const session of user.sessions.values()) {
        for (const subscription of session.subscriptions.values()) if (predicate(subscription)) found.push(subscription);
      }
    }
    return found;
  }

  /** The user session of a session id, when that session belongs to a user. */
  getSession(sessionId: string): StompUserSession | undefined {
    return this.bySession.get(sessionId);
  }

  // ---- fed by the server --------------------------------------------------------------------

  /** A session with a principal is connected. */
  addSession(sessionId: string, userName: string): void {
    if (this.bySession.has(sessionId)) return;
    let user = this.users.get(userName);
    if (user === undefined) {
      user = new UserEntry(userName);
      this.users.set(userName, user);
    }
    const session = new SessionEntry(sessionId, user);
    user.sessions.set(sessionId, session);
    this.bySession.set(sessionId, session);
  }

  /** A session ended: gone with its subscriptions; a user without sessions is gone too. */
  removeSession(sessionId: string): void {
    const session = this.bySession.get(sessionId);
    if (session === undefined) return;
    this.bySession.delete(sessionId);
    const user = session.user;
    user.sessions.delete(sessionId);
    if (user.sessions.size === 0 && this.users.get(user.name) === user) this.users.delete(user.name);
  }

  addSubscription(sessionId: string, id: string, destination: string): void {
    const session = this.bySession.get(sessionId);
    session?.subscriptions.set(id, { id, destination, session });
  }

  removeSubscription(sessionId: string, id: string): void {
    this.bySession.get(sessionId)?.subscriptions.delete(id);
  }
}

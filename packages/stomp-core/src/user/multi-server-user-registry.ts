import type { StompUser, StompUserSession, StompUserSubscription, UserRegistry } from './user-registry.js';

/** What one instance tells the others about its users (JSON on the registry broadcast topic). */
export interface UserRegistrySnapshot {
  users: Array<{ name: string; sessions: Array<{ id: string; subscriptions: Array<{ id: string; destination: string }> }> }>;
}

interface RemoteEntry {
  users: Map<string, StompUser>;
  expiresAt: number;
}

/**
 * The users of every app instance relaying to the same broker (Spring's MultiServerUserRegistry):
 * this instance's UserRegistry, plus the snapshots the other instances broadcast through the
 * broker (every `expiration / 2` ms; a snapshot not renewed within `expiration` ms is dropped).
 * Read-only views; remote sessions carry the instance id in `instance`.
 */
export class MultiServerUserRegistry {
  private readonly remote = new Map<string, RemoteEntry>();

  constructor(
    readonly local: UserRegistry,
    private readonly expiration: number,
  ) {}

  /** A user with their sessions on every instance, or undefined. */
  getUser(name: string): StompUser | undefined {
    const sessions = new Map<string, StompUserSession>();
    const local = this.local.getUser(name);
    if (local !== undefined) for (const [id, s] of local.sessions) sessions.set(id, s);
    for (const entry of this.live()) {
      const remote = entry.users.get(name);
      if (remote !== undefined) for (const [id, s] of remote.sessions) sessions.set(id, s);
    }
    return sessions.size === 0 ? undefined : { name, sessions };
  }

  getUsers(): StompUser[] {
    const names = new Set(this.local.getUsers().map((u) => u.name));
    for (const entry of this.live()) for (const name of entry.users.keys()) names.add(name);
    return [...names].map((name) => this.getUser(name)!);
  }

  get userCount(): number {
    return this.getUsers().length;
  }

  findSubscriptions(predicate: (subscription: StompUserSubscription) => boolean): StompUserSubscription[] {
    const found: StompUserSubscription[] = [];
    for (const user of this.getUsers()) {
      for (const session of user.sessions.values()) for (const s of session.subscriptions.values()) if (predicate(s)) found.push(s);
    }
    return found;
  }

  /** This instance's users, for the broadcast. */
  snapshot(): UserRegistrySnapshot {
    return {
      users: this.local.getUsers().map((user) => ({
        name: user.name,
        sessions: [...user.sessions.values()].map((session) => ({
          id: session.id,
          subscriptions: [...session.subscriptions.values()].map((s) => ({ id: s.id, destination: s.destination })),
        })),
      })),
    };
  }

  /** Another instance's snapshot (replaces its previous one). Malformed input is ignored. */
  addRemote(instance: string, snapshot: unknown, now = Date.now()): void {
    const users = new Map<string, StompUser>();
    const list = (snapshot as Partial<UserRegistrySnapshot> | null)?.users;
    if (!Array.isArray(list)) return;
    for (const u of list) {
      if (typeof u?.name !== 'string' || !Array.isArray(u.sessions)) continue;
      const sessions = new Map<string, StompUserSession>();
      const user: StompUser = { name: u.name, sessions };
      for (const s of u.sessions) {
        if (typeof s?.id !== 'string') continue;
        const subscriptions = new Map<string, StompUserSubscription>();
        const session = { id: s.id, user, subscriptions, instance } as StompUserSession;
        for (const sub of Array.isArray(s.subscriptions) ? s.subscriptions : []) {
          if (typeof sub?.id === 'string' && typeof sub.destination === 'string') {
            subscriptions.set(sub.id, { id: sub.id, destination: sub.destination, session });
          }
        }
        sessions.set(s.id, session);
      }
      users.set(u.name, user);
    }
    this.remote.set(instance, { users, expiresAt: now + this.expiration });
  }

  private *live(): Iterable<RemoteEntry> {
    const now = Date.now();
    for (const [instance, entry] of this.remote) {
      if (entry.expiresAt <= now) this.remote.delete(instance);
      else yield entry;
    }
  }
}

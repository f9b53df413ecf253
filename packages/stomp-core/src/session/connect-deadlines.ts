/**
 * The sessions of a server still waiting for their CONNECT (server option `timeToFirstFrame`).
 * They all get the same time, so the one that arrived first is always the first due: kept in
 * arrival order, they need one timer for the whole server, armed for the oldest, instead of a
 * Timeout and its closure per connection.
 */
export class ConnectDeadlines<S> {
  /** Waiting sessions and when each is due (Date.now() ms), oldest first (a Map keeps insertion order). */
  private readonly waiting = new Map<S, number>();
  private timer: NodeJS.Timeout | undefined = undefined;

  /** `expire` is called once for a session still waiting after `timeout` ms (> 0). */
  constructor(
    private readonly timeout: number,
    private readonly expire: (session: S) => void,
  ) {}

  add(session: S): void {
    this.waiting.set(session, Date.now() + this.timeout);
    if (this.timer === undefined) this.arm(this.timeout);
  }

  /** The session connected or went away: no deadline any more (a session not waiting is ignored). */
  delete(session: S): void {
    if (!this.waiting.delete(session) || this.waiting.size > 0) return;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Sessions waiting (stats and tests). */
  get size(): number {
    return this.waiting.size;
  }

  close(): void {
    this.waiting.clear();
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private arm(ms: number): void {
    this.timer = setTimeout(this.fire, ms).unref();
  }

  private readonly fire = (): void => {
    this.timer = undefined;
    const now = Date.now();
    for (const [session, due] of this.waiting) {
      if (due > now) {
        this.arm(due - now);
        return;
      }
      // Forget it first: expiring closes the session, which calls delete() again (a no-op then).
      this.waiting.delete(session);
      this.expire(session);
    }
  };
}

/** What a FlushList flushes: a session with bytes queued. */
export interface Flushable {
  flush(): void;
}

/**
 * Sessions to flush together at the end of a round (the server's turn, DeliveryLinger's timer).
 * Two arrays take turns, so a round makes no new array, and a session queued again by its own
 * flush goes to the next round, not this one.
 */
export class FlushList<S extends Flushable = Flushable> {
  private pending: S[] = [];
  /** The array the last round emptied, reused as the next `pending`. */
  private spare: S[] = [];

  /** Queues `session`; true when it is the first of a new round (the caller then schedules flushAll). */
  add(session: S): boolean {
    return this.pending.push(session) === 1;
  }

  /** Sessions queued for the next round. */
  get size(): number {
    return this.pending.length;
  }

  /**
   * Flushes the round's sessions in order. One that throws does not keep the others waiting (they
   * would never be flushed again): all are flushed, then the first error is thrown.
   */
  flushAll(): void {
    const round = this.pending;
    this.pending = this.spare;
    let failed = false;
    let error: unknown;
    for (let i = 0; i < round.length; i++) {
      try {
        round[i]!.flush();
      } catch (e) {
        if (!failed) {
          failed = true;
          error = e;
        }
      }
    }
    round.length = 0;
    this.spare = round;
    if (failed) throw error;
  }
}

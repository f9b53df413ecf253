/**
 * When this instance tells the others about its users (relay option `userRegistryBroadcast`):
 * every `period` ms, as Spring's does, and also soon after a user comes or goes, so another
 * instance does not call a user offline who just connected here, or online for seconds after they
 * left. Changes share at once unless a snapshot left less than `minInterval` ms ago; then one
 * snapshot `minInterval` after that one carries all of them (a snapshot lists every user, so a
 * burst of connections must not send one each).
 */
export class UserRegistryBroadcast {
  private readonly interval: NodeJS.Timeout;
  private pending: NodeJS.Timeout | undefined = undefined;
  private lastShareAt = Number.NEGATIVE_INFINITY;
  private closed = false;

  /** `share`: sends this instance's snapshot (false when it could not, the broker being away). */
  constructor(
    private readonly share: () => boolean,
    period: number,
    private readonly minInterval = CHANGE_INTERVAL,
  ) {
    this.interval = setInterval(this.shareNow, period).unref();
  }

  /** A user's first session here connected, or their last one closed. */
  changed(): void {
    // After close(): sessions closing with the server change nothing the others need to hear now.
    if (this.pending !== undefined || this.closed) return;
    const wait = this.lastShareAt + this.minInterval - Date.now();
    if (wait <= 0) this.shareNow();
    else this.pending = setTimeout(this.shareNow, wait).unref();
  }

  close(): void {
    this.closed = true;
    clearInterval(this.interval);
    clearTimeout(this.pending);
    this.pending = undefined;
  }

  /** Also the broker's (re)appearance: the others learn this instance's users at once. */
  readonly shareNow = (): void => {
    clearTimeout(this.pending);
    this.pending = undefined;
    // Not shared (broker away): the next change or period tries again, and the broker's return shares.
    if (this.share()) this.lastShareAt = Date.now();
  };
}

/** Shortest time between two snapshots sent because users changed (1 s). */
export const CHANGE_INTERVAL = 1_000;

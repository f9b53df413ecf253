/**
 * The two heart-beat timers of a connected session (STOMP 1.1 "Heart-beating"): beat when the
 * session has written nothing for a while, and give up on a peer that has sent nothing for too long.
 * The session stamps `lastReadAt` / `lastWriteAt` as bytes come and go.
 */
export class HeartbeatTimers {
  lastReadAt = Date.now();
  lastWriteAt = Date.now();
  private sendTimer: NodeJS.Timeout | undefined = undefined;
  private readTimer: NodeJS.Timeout | undefined = undefined;
  private recheck: NodeJS.Immediate | undefined = undefined;

  /**
   * `beat` writes one EOL; `silent(ms)` is called when the peer was silent for `expectEvery ×
   * tolerance` ms. 0 disables either side.
   */
  start(sendEvery: number, expectEvery: number, tolerance: number, beat: () => void, silent: (ms: number) => void): void {
    if (sendEvery > 0) {
      // STOMP 1.1: the server MUST send something at least every `sendEvery` ms. A check every
      // fifth of the interval that beats once the next check would come too late keeps every gap
      // within the interval while beating no faster than 0.8 × interval on an idle connection.
      const tick = Math.max(1, Math.floor(sendEvery / 5));
      const due = sendEvery - tick;
      this.sendTimer = setInterval(() => {
        const now = Date.now();
        if (now - this.lastWriteAt < due) return;
        this.lastWriteAt = now;
        beat();
      }, tick).unref();
    }
    if (expectEvery > 0) {
      const limit = expectEvery * tolerance;
      this.readTimer = setInterval(() => {
        if (Date.now() - this.lastReadAt <= limit || this.recheck !== undefined) return;
        // Timers run before the event loop polls for I/O: after a stall of the process (GC, a long
        // synchronous handler), bytes the peer sent in time are still unread here. Decide only
        // after the next poll has read them (setImmediate runs after it).
        this.recheck = setImmediate(() => {
          this.recheck = undefined;
          if (Date.now() - this.lastReadAt > limit) silent(limit);
        });
      }, expectEvery).unref();
    }
  }

  stop(): void {
    clearInterval(this.sendTimer);
    clearInterval(this.readTimer);
    clearImmediate(this.recheck);
    this.recheck = undefined;
  }
}

/** What the scheduler needs of a heart-beating session. */
export interface HeartbeatMember {
  /** Date.now() when bytes last came from the peer; start() sets it. */
  lastReadAt: number;
  /** Date.now() when bytes last went to the peer; the scheduler sets it when it beats. */
  lastWriteAt: number;
  /** Writes one EOL to the peer. */
  beat(): void;
  /** The peer sent nothing for `ms` (its interval times the tolerance). */
  silent(ms: number): void;
}

/**
 * The heart-beat timers of all sessions of a server (STOMP 1.1 "Heart-beating"), one interval per
 * negotiated value rather than two per session. Clients mostly ask for the same few values (the
 * libraries' defaults), so a server with many idle connections runs a handful of timers, and a
 * session costs a place in a Set instead of two Timeouts and their closures.
 */
export class HeartbeatScheduler {
  private readonly senders = new Map<number, SendGroup>();
  private readonly readers = new Map<number, ReadGroup>();

  /** `tolerance`: how many expected intervals a peer may stay silent (server option `heartbeatTolerance`). */
  constructor(private readonly tolerance: number) {}

  /**
   * Both sides of a negotiated heart-beat (ms, 0: that side off), counted from now: beats when
   * `member` wrote nothing for about `sendEvery`, calls `member.silent` after `expectEvery` ×
   * tolerance without a read. stop() takes the same two values.
   */
  start(member: HeartbeatMember, sendEvery: number, expectEvery: number): void {
    const now = Date.now();
    if (sendEvery > 0) {
      member.lastWriteAt = now;
      this.startSending(member, sendEvery);
    }
    if (expectEvery > 0) {
      member.lastReadAt = now;
      this.startExpecting(member, expectEvery);
    }
  }

  /** Beats for `member` whenever it has written nothing for about `sendEvery` ms (> 0). */
  startSending(member: HeartbeatMember, sendEvery: number): void {
    let group = this.senders.get(sendEvery);
    if (group === undefined) this.senders.set(sendEvery, (group = new SendGroup(sendEvery)));
    group.members.add(member);
  }

  /** Calls `member.silent` once it has read nothing for `expectEvery` (> 0) × tolerance ms. */
  startExpecting(member: HeartbeatMember, expectEvery: number): void {
    let group = this.readers.get(expectEvery);
    if (group === undefined) this.readers.set(expectEvery, (group = new ReadGroup(expectEvery, expectEvery * this.tolerance)));
    group.members.add(member);
  }

  /** Forgets `member` (its intervals as given to the start calls; 0 for a side not started). */
  stop(member: HeartbeatMember, sendEvery: number, expectEvery: number): void {
    if (sendEvery > 0) {
      const group = this.senders.get(sendEvery);
      if (group !== undefined && group.members.delete(member) && group.members.size === 0) {
        group.close();
        this.senders.delete(sendEvery);
      }
    }
    if (expectEvery > 0) {
      const group = this.readers.get(expectEvery);
      if (group !== undefined && group.members.delete(member) && group.members.size === 0) {
        group.close();
        this.readers.delete(expectEvery);
      }
    }
  }

  /** Number of running intervals (stats and tests). */
  get timerCount(): number {
    return this.senders.size + this.readers.size;
  }

  close(): void {
    for (const group of this.senders.values()) group.close();
    for (const group of this.readers.values()) group.close();
    this.senders.clear();
    this.readers.clear();
  }
}

/** Sessions that beat every `sendEvery` ms. */
class SendGroup {
  readonly members = new Set<HeartbeatMember>();
  private readonly timer: NodeJS.Timeout;

  constructor(sendEvery: number) {
    // STOMP 1.1: the server MUST send something at least every `sendEvery` ms. A check every
    // fifth of the interval that beats once the next check would come too late keeps every gap
    // within the interval while beating no faster than 0.8 × interval on an idle connection.
    const tick = Math.max(1, Math.floor(sendEvery / 5));
    const due = sendEvery - tick;
    this.timer = setInterval(() => {
      const now = Date.now();
      // A Set may lose members while it is walked (a beat that finds the connection gone).
      for (const member of this.members) {
        if (now - member.lastWriteAt < due) continue;
        member.lastWriteAt = now;
        member.beat();
      }
    }, tick).unref();
  }

  close(): void {
    clearInterval(this.timer);
  }
}

/** Sessions whose peer must send something every `expectEvery` ms (within the tolerance). */
class ReadGroup {
  readonly members = new Set<HeartbeatMember>();
  private readonly timer: NodeJS.Timeout;
  private recheck: NodeJS.Immediate | undefined = undefined;

  constructor(expectEvery: number, private readonly limit: number) {
    this.timer = setInterval(() => this.check(), expectEvery).unref();
  }

  private check(): void {
    if (this.recheck !== undefined) return;
    const now = Date.now();
    let suspects: HeartbeatMember[] | undefined;
    for (const member of this.members) if (now - member.lastReadAt > this.limit) (suspects ??= []).push(member);
    if (suspects === undefined) return;
    // Timers run before the event loop polls for I/O: after a stall of the process (GC, a long
    // synchronous handler), bytes a peer sent in time are still unread here. Decide only after
    // the next poll has read them (setImmediate runs after it).
    const found = suspects;
    this.recheck = setImmediate(() => {
      this.recheck = undefined;
      const later = Date.now();
      for (const member of found) {
        if (this.members.has(member) && later - member.lastReadAt > this.limit) member.silent(this.limit);
      }
    });
  }

  close(): void {
    clearInterval(this.timer);
    clearImmediate(this.recheck);
    this.recheck = undefined;
  }
}

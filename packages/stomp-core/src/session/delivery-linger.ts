import { FlushList, type Flushable } from './flush-list.js';

/**
 * Sessions whose next MESSAGEs wait a little to leave in one write (relay option `linger`). A relay
 * session otherwise writes once per read from its broker connection, and a busy broker connection
 * is read every one or two MESSAGEs: each of those writes costs a system call here and a wake-up of
 * the client. A session written to less than `ms` ago queues its next MESSAGEs here; one timer for
 * the whole server flushes them all `ms` later. A session idle for longer is flushed in the turn, as
 * without a linger, so only a steady stream of more than one MESSAGE per `ms` waits, at most `ms`.
 * (The relay also stops reading the session's broker connection while it waits: StompSession.whenWritable.)
 */
export class DeliveryLinger<S extends Flushable = Flushable> {
  private readonly waiting = new FlushList<S>();
  private timer: NodeJS.Timeout | undefined = undefined;

  /** `ms` > 0: the longest a MESSAGE waits here. */
  constructor(readonly ms: number) {}

  /** Flushes `session` at the end of this round (a session added twice is flushed twice: the second finds nothing). */
  add(session: S): void {
    if (this.waiting.add(session)) this.timer = setTimeout(this.flushAll, this.ms);
  }

  /** Sessions waiting (tests). */
  get size(): number {
    return this.waiting.size;
  }

  /** Flushes every waiting session now (server shutdown). */
  close(): void {
    clearTimeout(this.timer);
    this.flushAll();
  }

  // A session its own flush queues again goes to the next round, whose add() arms the next timer.
  private readonly flushAll = (): void => {
    this.timer = undefined;
    this.waiting.flushAll();
  };
}

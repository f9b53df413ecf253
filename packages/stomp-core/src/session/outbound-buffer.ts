const EMPTY = Buffer.alloc(0);
/** Smallest slab: from Buffer's shared pool (allocUnsafe below 4 KiB), so a quiet session costs little. */
const MIN_SLAB = 512;
/** Largest slab kept from one turn to the next; a session writing more per turn gets a slab per turn. */
const MAX_KEPT = 64 * 1024;
/** Slabs up to this size are let go after every flush (the pool gives them back cheaply). */
const KEEP_ABOVE = 1024;

/**
 * A session's outbound bytes of one turn. A MESSAGE from the embedded broker is written into a
 * slab (its cached head, its id lines straight from the number, its tail), so it makes no Buffer
 * per delivery, and a turn of such deliveries needs no array of pieces and no concatenation at
 * flush. Whole chunks (cached fan-out heads and tails, encoded frames) are queued by reference
 * and joined at take(), as copying them into the slab would only move that copy (and measured
 * slower on a 100-subscriber fan-out). take() hands out the turn's bytes as one view of the slab
 * when they are all there, and the next turn writes on after them: bytes handed out are never
 * written again (the transport may still hold them), so a slab is replaced, never reused from its start.
 * A slab is sized from what the session wrote in recent turns (room for about three of them, so
 * one allocation serves several turns and a turn seldom spills into a second slab); a small slab,
 * or one without room for another turn, is not kept between turns.
 */
export class OutboundBuffer {
  /** Bytes queued and not taken yet. */
  length = 0;
  /** Where the next byte goes in `slab` (valid after room()). */
  end = 0;
  private slab: Buffer = EMPTY;
  /** Slab bytes before this were taken already. */
  private start = 0;
  /** Bytes the session writes into slabs per turn, about (quick to rise, slow to fall). */
  private expected = 0;
  /** Bytes copied into slabs during this turn. */
  private copied = 0;
  /** Earlier parts of this turn (chunks pushed, slabs filled): joined with the slab's part by take(). */
  private pieces: Buffer[] | undefined = undefined;

  /**
   * The slab, with at least `n` free bytes from `end` on. The caller writes its bytes at
   * [end, end + n) and then calls commit(n).
   */
  room(n: number): Buffer {
    if (this.slab.length - this.end >= n) return this.slab;
    this.seal();
    // Room for about three turns like the recent ones (one when they are large), and when this
    // turn already outgrew that, at least as much again as it wrote so far.
    const expected = this.expected;
    let size = expected * 3 <= MAX_KEPT ? Math.max(expected * 3, MIN_SLAB) : expected + (expected >> 2);
    if (this.copied > size) size = this.copied;
    this.slab = Buffer.allocUnsafe(Math.max(size, n));
    this.start = this.end = 0;
    return this.slab;
  }

  commit(n: number): void {
    this.end += n;
    this.length += n;
    this.copied += n;
  }

  /**
   * Queues a whole chunk by reference (cached heads and tails of a fan-out, frames encoded
   * whole): copying it here would only move the copy that take() makes when it joins the parts.
   */
  push(chunk: Buffer): void {
    this.seal();
    (this.pieces ??= []).push(chunk);
    this.length += chunk.length;
  }

  /** Everything queued, as one Buffer (empty when nothing is), and the buffer is empty again. */
  take(): Buffer {
    const length = this.length;
    let out: Buffer;
    if (this.pieces === undefined) {
      out = this.slab.subarray(this.start, this.end);
    } else {
      this.seal();
      const pieces = this.pieces;
      this.pieces = undefined;
      out = pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces, length);
    }
    this.start = this.end;
    this.length = 0;
    this.expected = Math.max(this.copied, this.expected - (this.expected >> 2));
    this.copied = 0;
    const slab = this.slab;
    // Kept only when the next turn probably fits in what is left, and the slab is worth keeping.
    if (slab.length <= KEEP_ABOVE || slab.length > MAX_KEPT || slab.length - this.end < this.expected) this.drop();
    return out;
  }

  /** Drops whatever is queued (the connection is gone). */
  clear(): void {
    this.pieces = undefined;
    this.length = 0;
    this.copied = 0;
    this.drop();
  }

  /** Moves the slab's untaken bytes to `pieces` (before a new slab or a large chunk). */
  private seal(): void {
    if (this.end > this.start) (this.pieces ??= []).push(this.slab.subarray(this.start, this.end));
    this.start = this.end;
  }

  private drop(): void {
    this.slab = EMPTY;
    this.start = this.end = 0;
  }
}

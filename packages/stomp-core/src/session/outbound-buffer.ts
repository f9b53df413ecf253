const EMPTY = Buffer.alloc(0);
/** Smallest slab: from Buffer's shared pool (allocUnsafe below 4 KiB), so a quiet session costs little. */
const MIN_SLAB = 512;
/** Largest slab: what a busy session writes in a few turns. */
const MAX_SLAB = 64 * 1024;
/** Slabs up to this size are let go after every flush (the pool gives them back cheaply). */
const KEEP_ABOVE = 1024;
/** A chunk this large is queued as it is, not copied into a slab. */
const COPY_LIMIT = 8 * 1024;

/**
 * A session's outbound bytes of one turn, written into a slab instead of queued as many small
 * Buffers: a MESSAGE is its cached head, its per-delivery id lines and its cached tail, and
 * writing their bytes here (the id lines straight from the number) makes no Buffer per delivery,
 * no array of pieces and no concatenation at flush. take() hands out the turn's bytes as one
 * view of the slab and the next turn writes on after them: bytes handed out are never written
 * again (the transport may still hold them), so a slab is replaced, never reused from its start.
 * Slab sizes follow what the session writes per turn (doubling when a turn fills one, halving
 * when turns use little), and a small slab is not kept between turns.
 */
export class OutboundBuffer {
  /** Bytes queued and not taken yet. */
  length = 0;
  /** Where the next byte goes in `slab` (valid after room()). */
  end = 0;
  private slab: Buffer = EMPTY;
  /** Slab bytes before this were taken already. */
  private start = 0;
  private nextSize = MIN_SLAB;
  /** Earlier parts of this turn when a slab filled up or a large chunk came: sent together with the slab's part. */
  private pieces: Buffer[] | undefined;

  /**
   * The slab, with at least `n` free bytes from `end` on. The caller writes its bytes at
   * [end, end + n) and then calls commit(n).
   */
  room(n: number): Buffer {
    if (this.slab.length - this.end >= n) return this.slab;
    this.seal();
    let size = this.nextSize;
    if (this.slab !== EMPTY && size < MAX_SLAB) this.nextSize = size = size * 2; // a turn filled one: bigger ones
    this.slab = Buffer.allocUnsafe(Math.max(size, n));
    this.start = this.end = 0;
    return this.slab;
  }

  commit(n: number): void {
    this.end += n;
    this.length += n;
  }

  /** Queues a whole chunk: copied when small, kept by reference when large. */
  push(chunk: Buffer): void {
    const n = chunk.length;
    if (n >= COPY_LIMIT) {
      this.seal();
      (this.pieces ??= []).push(chunk);
      this.length += n;
      return;
    }
    const slab = this.room(n);
    slab.set(chunk, this.end);
    this.commit(n);
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
    const slab = this.slab;
    // A turn that used little of a slab: smaller ones from now on.
    if (length * 8 < this.nextSize && this.nextSize > MIN_SLAB) this.nextSize >>= 1;
    if (slab.length <= KEEP_ABOVE || (slab.length - this.end) * 4 < slab.length) this.drop();
    return out;
  }

  /** Drops whatever is queued (the connection is gone). */
  clear(): void {
    this.pieces = undefined;
    this.length = 0;
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

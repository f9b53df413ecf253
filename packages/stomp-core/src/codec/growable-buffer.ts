/**
 * Bytes carried over from one input chunk to the next (a header line or a body cut by a chunk
 * boundary). Grows by doubling, never past the cap the caller passes, so the decoder's memory
 * stays bounded by its limits; copies out of the chunk so no chunk is retained.
 */
export class GrowableBuffer {
  private buf: Buffer | undefined;
  length = 0;

  /** Appends src[start, end). The caller has checked that the new length fits `cap`. */
  append(src: Buffer, start: number, end: number, cap: number): void {
    const need = this.length + (end - start);
    let buf = this.buf;
    if (buf === undefined || buf.length < need) {
      const grown = Math.min(Math.max(need, buf === undefined ? 256 : buf.length * 2), Math.max(cap, need));
      const next = Buffer.allocUnsafe(grown);
      if (buf !== undefined) buf.copy(next, 0, 0, this.length);
      this.buf = buf = next;
    }
    src.copy(buf, this.length, start, end);
    this.length = need;
  }

  /** The byte at `index` (caller keeps 0 <= index < length). */
  at(index: number): number {
    return this.buf![index]!;
  }

  /** Hands the bytes over (the caller owns them from now on) and empties this buffer. */
  take(): Buffer {
    const out = this.buf === undefined ? Buffer.alloc(0) : this.buf.subarray(0, this.length);
    this.buf = undefined;
    this.length = 0;
    return out;
  }

  /** Drops the bytes. */
  clear(): void {
    this.buf = undefined;
    this.length = 0;
  }
}

/**
 * The slot of a header whose last value a decoder remembers, -1 for the others. A producer sends
 * the same destination, content-type and (fixed-size bodies) content-length frame after frame;
 * ids and receipts change every time and are not worth comparing. `name` is a known-name constant.
 */
export function repeatedSlot(name: string): number {
  return name === 'destination' ? 0 : name === 'content-type' ? 1 : name === 'content-length' ? 2 : -1;
}

const BACKSLASH = 0x5c;

/**
 * The last value decoded for each repeatedSlot() header. Only a value whose bytes are ASCII
 * without a backslash is remembered: its text is then its bytes, one char per byte, and it reads
 * the same in every escaping flavour, so the text alone is what bytes are compared against (no
 * copy of the bytes is kept: an idle connection's decoder holds three strings). A header whose
 * bytes repeat gets the same string again: no decoding, no new string, and lookups keyed by it
 * (the broker's by destination) find its hash already computed.
 */
export class RepeatedValues {
  private destination = '';
  private contentType = '';
  private contentLength = '';

  /** The remembered text of `slot` when buf[s, e) are its bytes; else undefined. */
  find(slot: number, buf: Uint8Array, s: number, e: number): string | undefined {
    const text = slot === 0 ? this.destination : slot === 1 ? this.contentType : this.contentLength;
    const length = e - s;
    // '' is "nothing remembered": an empty value is cheap to decode anyway.
    if (text.length !== length || length === 0) return undefined;
    for (let i = 0; i < length; i++) if (text.charCodeAt(i) !== buf[s + i]) return undefined;
    return text;
  }

  /** Remembers `text`, decoded from buf[s, e), when those bytes are ASCII without a backslash. */
  remember(slot: number, buf: Uint8Array, s: number, e: number, text: string): void {
    if (text.length !== e - s) return;
    for (let i = s; i < e; i++) {
      const b = buf[i]!;
      if (b >= 0x80 || b === BACKSLASH) return;
    }
    if (slot === 0) this.destination = text;
    else if (slot === 1) this.contentType = text;
    else this.contentLength = text;
  }
}

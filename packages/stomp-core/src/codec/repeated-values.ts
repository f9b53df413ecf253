import type { EscapeFlavour } from './header-escaping.js';

/**
 * The slot of a header whose last value a decoder remembers, -1 for the others. A producer sends
 * the same destination, content-type and (fixed-size bodies) content-length frame after frame;
 * ids and receipts change every time and are not worth comparing. `name` is a known-name constant.
 */
export function repeatedSlot(name: string): number {
  return name === 'destination' ? 0 : name === 'content-type' ? 1 : name === 'content-length' ? 2 : -1;
}

/** Values up to this many bytes are compared and copied in a JS loop (cheaper than a native call). */
const SHORT = 32;

/**
 * The last value decoded for each repeatedSlot() header: its raw bytes (a copy, so no input chunk
 * is kept alive; bounded by the header line limit), its text and the escaping flavour it was
 * unescaped in. A header whose bytes repeat gets the same string again: no decoding, no new
 * string, and lookups keyed by it (the broker's by destination) find its hash already computed.
 */
export class RepeatedValues {
  private readonly raw: (Buffer | undefined)[] = [undefined, undefined, undefined];
  private readonly lengths = [-1, -1, -1];
  private readonly texts = ['', '', ''];
  private readonly flavours: EscapeFlavour[] = [2, 2, 2];

  /** The remembered text of `slot` when buf[s, e) are its bytes, decoded in `flavour`; else undefined. */
  find(slot: number, buf: Buffer, s: number, e: number, flavour: EscapeFlavour): string | undefined {
    const length = e - s;
    if (this.lengths[slot] !== length || this.flavours[slot] !== flavour) return undefined;
    const raw = this.raw[slot]!;
    if (length > SHORT) return raw.compare(buf, s, e, 0, length) === 0 ? this.texts[slot] : undefined;
    for (let i = 0; i < length; i++) if (raw[i] !== buf[s + i]) return undefined;
    return this.texts[slot];
  }

  remember(slot: number, buf: Buffer, s: number, e: number, flavour: EscapeFlavour, text: string): void {
    const length = e - s;
    let raw = this.raw[slot];
    if (raw === undefined || raw.length < length) this.raw[slot] = raw = Buffer.allocUnsafeSlow(Math.max(length, SHORT));
    if (length > SHORT) buf.copy(raw, 0, s, e);
    else for (let i = 0; i < length; i++) raw[i] = buf[s + i]!;
    this.lengths[slot] = length;
    this.texts[slot] = text;
    this.flavours[slot] = flavour;
  }
}

// Delivery bookkeeping. A Tracker stands for one set of receivers that must together see every
// message of its producers exactly once: one topic subscriber, or all consumers of one queue.
// One bitmap per producer (sequence numbers start at 0), so loss, duplicates and reordering are exact.

export class Tracker {
  constructor(producerCount) {
    this.bits = Array.from({ length: producerCount }, () => new Uint8Array(1 << 14));
    this.unique = new Float64Array(producerCount); // distinct messages seen, per producer
    this.next = new Float64Array(producerCount); // highest seq seen + 1, per producer
    this.duplicates = 0;
    this.outOfOrder = 0;
  }

  /** Records one delivery; true when it is new (not a duplicate). */
  record(producer, seq) {
    let bits = this.bits[producer];
    if (bits === undefined) return false;
    const byte = seq >>> 3;
    if (byte >= bits.length) {
      let size = bits.length * 2;
      while (size <= byte) size *= 2;
      const grown = new Uint8Array(size);
      grown.set(bits);
      this.bits[producer] = bits = grown;
    }
    const mask = 1 << (seq & 7);
    if ((bits[byte] & mask) !== 0) {
      this.duplicates++;
      return false;
    }
    bits[byte] |= mask;
    this.unique[producer]++;
    if (seq + 1 > this.next[producer]) {
      this.next[producer] = seq + 1;
    } else {
      this.outOfOrder++;
    }
    return true;
  }

  /** Messages of `producer` not seen, given it sent `sent` of them (seq 0..sent-1). */
  missing(producer, sent) {
    return sent - this.unique[producer];
  }
}

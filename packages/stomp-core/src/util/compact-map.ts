/**
 * A Map by string key that holds a single entry in two fields and makes a real Map only for a
 * second one. Most sessions hold one subscription or a few; an empty or one-entry Map costs
 * about 200 bytes (its hash table), and a session keeps two such maps (its own and the broker's
 * record of it), which was a tenth of what an idle connection cost. Insertion order is kept.
 */
export class CompactMap<V> {
  /** The only entry's key while `map` is undefined ('' is a valid key, undefined means empty). */
  private onlyKey: string | undefined = undefined;
  private onlyValue: V | undefined = undefined;
  private map: Map<string, V> | undefined = undefined;

  get size(): number {
    if (this.map !== undefined) return this.map.size;
    return this.onlyKey === undefined ? 0 : 1;
  }

  get(key: string): V | undefined {
    if (this.map !== undefined) return this.map.get(key);
    return key === this.onlyKey ? this.onlyValue : undefined;
  }

  has(key: string): boolean {
    if (this.map !== undefined) return this.map.has(key);
    return key === this.onlyKey;
  }

  set(key: string, value: V): this {
    if (this.map !== undefined) {
      this.map.set(key, value);
    } else if (this.onlyKey === undefined || this.onlyKey === key) {
      this.onlyKey = key;
      this.onlyValue = value;
    } else {
      // Once there were two, it stays a Map: sessions that subscribe to several keep doing so.
      this.map = new Map<string, V>([[this.onlyKey, this.onlyValue as V], [key, value]]);
      this.onlyKey = this.onlyValue = undefined;
    }
    return this;
  }

  delete(key: string): boolean {
    if (this.map !== undefined) return this.map.delete(key);
    if (this.onlyKey !== key) return false;
    this.onlyKey = this.onlyValue = undefined;
    return true;
  }

  clear(): void {
    this.map = undefined;
    this.onlyKey = this.onlyValue = undefined;
  }

  *keys(): IterableIterator<string> {
    if (this.map !== undefined) yield* this.map.keys();
    else if (this.onlyKey !== undefined) yield this.onlyKey;
  }

  *values(): IterableIterator<V> {
    if (this.map !== undefined) yield* this.map.values();
    else if (this.onlyKey !== undefined) yield this.onlyValue as V;
  }

  *entries(): IterableIterator<[string, V]> {
    if (this.map !== undefined) yield* this.map.entries();
    else if (this.onlyKey !== undefined) yield [this.onlyKey, this.onlyValue as V];
  }

  [Symbol.iterator](): IterableIterator<[string, V]> {
    return this.entries();
  }

  forEach(callback: (value: V, key: string) => void): void {
    for (const [key, value] of this.entries()) callback(value, key);
  }
}

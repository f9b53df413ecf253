/**
 * Bounded destination → matching subscriptions cache (Spring's DestinationCache, `cacheLimit`
 * 1024). Eviction is oldest-inserted first: a hit costs one Map lookup and no reordering, and a
 * hot destination evicted by a burst of others is recomputed once.
 */
export class DestinationCache<V> {
  private readonly entries = new Map<string, V>();

  constructor(readonly limit: number) {}

  get size(): number {
    return this.entries.size;
  }

  get(destination: string): V | undefined {
    return this.entries.get(destination);
  }

  set(destination: string, value: V): void {
    if (this.limit <= 0) return;
    if (!this.entries.has(destination) && this.entries.size >= this.limit) {
      // Map iterates in insertion order: the first key is the oldest.
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(destination, value);
  }

  delete(destination: string): void {
    this.entries.delete(destination);
  }

  /** Drops the entries whose destination satisfies `affected` (a pattern subscription changed). */
  evictWhere(affected: (destination: string) => boolean): void {
    for (const destination of this.entries.keys()) {
      if (affected(destination)) this.entries.delete(destination);
    }
  }

  has(destination: string): boolean {
    return this.entries.has(destination);
  }

  clear(): void {
    this.entries.clear();
  }
}

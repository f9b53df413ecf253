import { compilePattern, isPattern, type DestinationPattern } from '../util/destination-pattern.js';
import { isSeparator } from '../util/destination-segments.js';
import { DestinationCache } from './destination-cache.js';

/** What the registry needs of a subscription: its destination, exact or a pattern. */
export interface RegisteredSubscription {
  readonly destination: string;
}

export interface SubscriptionRegistryOptions {
  /** Most destinations whose pattern matches are cached. Default 1024 (Spring's `cacheLimit`). */
  cacheLimit: number;
}

export const DEFAULT_SUBSCRIPTION_CACHE_LIMIT = 1024;

/** Subscriptions sharing one pattern: compiled and matched once for all of them. */
interface PatternEntry<S> {
  readonly pattern: DestinationPattern;
  /** Changed in place: find() copies pattern matches into a new array, so this one is never handed out. */
  readonly subscriptions: S[];
}

/**
 * The subscriptions to one exact destination. `shared` is set once find() has handed the array
 * out; the next change copies it first. So the copy is paid only while a snapshot may be in use:
 * N clients subscribing to one topic with nothing published in between cost O(N), not the O(N²)
 * copies (and the garbage) of copying on every change.
 */
interface ExactEntry<S> {
  list: S[];
  shared: boolean;
}

const EMPTY: readonly never[] = Object.freeze([]);

/**
 * Subscriptions by destination (Spring's name). `find` never scans every subscription:
 * - exact destinations: one Map lookup;
 * - patterns: indexed by their literal prefix (`/topic/price.stock` for `/topic/price.stock.*`), so
 *   a destination only tests the patterns whose prefix is one of its own segment prefixes; the
 *   result is cached per destination (bounded), and the cache entries a pattern change affects
 *   are evicted precisely.
 *
 * Snapshot semantics: every array `find` returns is never modified afterwards (copy-on-write, see
 * ExactEntry), so a caller may iterate it while deliveries subscribe and unsubscribe.
 */
export class SubscriptionRegistry<S extends RegisteredSubscription> {
  private readonly exact = new Map<string, ExactEntry<S>>();
  private readonly patterns = new Map<string, PatternEntry<S>>();
  private readonly byPrefix = new Map<string, PatternEntry<S>[]>();
  private readonly cache: DestinationCache<readonly S[]>;
  private count = 0;
  private tests = 0;

  constructor(options: Partial<SubscriptionRegistryOptions> = {}) {
    this.cache = new DestinationCache(options.cacheLimit ?? DEFAULT_SUBSCRIPTION_CACHE_LIMIT);
  }

  /** Number of subscriptions held. */
  get size(): number {
    return this.count;
  }

  /** Number of distinct patterns subscribed to. */
  get patternCount(): number {
    return this.patterns.size;
  }

  /** Pattern tests run on cache misses since creation (stats; shows the prefix index at work). */
  get patternTests(): number {
    return this.tests;
  }

  /** Number of destinations whose matches are cached. */
  get cacheSize(): number {
    return this.cache.size;
  }

  /** Adds a subscription. Throws StompProtocolError(INVALID_HEADER) for a malformed pattern, changing nothing. */
  add(subscription: S): void {
    const destination = subscription.destination;
    if (!isPattern(destination)) {
      const entry = this.exact.get(destination);
      if (entry === undefined) this.exact.set(destination, { list: [subscription], shared: false });
      else writable(entry).push(subscription);
      this.cache.delete(destination);
    } else {
      let entry = this.patterns.get(destination);
      if (entry === undefined) {
        entry = { pattern: compilePattern(destination), subscriptions: [] };
        this.patterns.set(destination, entry);
        const prefix = entry.pattern.literalPrefix;
        const bucket = this.byPrefix.get(prefix);
        if (bucket === undefined) this.byPrefix.set(prefix, [entry]);
        else bucket.push(entry);
      }
      entry.subscriptions.push(subscription);
      this.evict(entry.pattern);
    }
    this.count++;
  }

  /** Removes a subscription (by identity). False when it was not registered. */
  remove(subscription: S): boolean {
    const destination = subscription.destination;
    if (!isPattern(destination)) {
      const entry = this.exact.get(destination);
      const index = entry === undefined ? -1 : entry.list.indexOf(subscription);
      if (index === -1) return false;
      if (entry!.list.length === 1) this.exact.delete(destination);
      else writable(entry!).splice(index, 1);
      this.cache.delete(destination);
    } else {
      const entry = this.patterns.get(destination);
      const index = entry === undefined ? -1 : entry.subscriptions.indexOf(subscription);
      if (index === -1) return false;
      if (entry!.subscriptions.length === 1) this.dropPattern(entry!);
      else entry!.subscriptions.splice(index, 1);
      if (this.patterns.size === 0) this.cache.clear();
      else this.evict(entry!.pattern);
    }
    this.count--;
    return true;
  }

  /** Every subscription matching a concrete destination: exact ones first, then pattern ones. */
  find(destination: string): readonly S[] {
    if (this.patterns.size === 0) return this.handOut(destination);
    const cached = this.cache.get(destination);
    if (cached !== undefined) return cached;
    const found = this.collect(destination);
    this.cache.set(destination, found);
    return found;
  }

  /** The subscriptions to exactly `destination`, ignoring patterns (snapshot, like find). */
  findExact(destination: string): readonly S[] {
    return this.handOut(destination);
  }

  /** Forgets everything. */
  clear(): void {
    this.exact.clear();
    this.patterns.clear();
    this.byPrefix.clear();
    this.cache.clear();
    this.count = 0;
  }

  /** Cache miss: the exact list plus the subscriptions of every matching pattern. */
  private collect(destination: string): readonly S[] {
    const entry = this.exact.get(destination);
    const base = entry?.list ?? EMPTY;
    // Candidate prefixes: none (''), each segment boundary, the whole destination. A separator at
    // position 0 would give '' again: skipped, so no pattern is visited twice.
    let result = this.visit('', destination, base, undefined);
    for (let i = 1; i < destination.length; i++) {
      if (isSeparator(destination.charCodeAt(i))) result = this.visit(destination.slice(0, i), destination, base, result);
    }
    if (destination.length > 0) result = this.visit(destination, destination, base, result);
    if (result !== undefined) return result;
    if (entry !== undefined) entry.shared = true; // cached and handed out as it is
    return base;
  }

  /** The exact list of `destination`, marked as handed out (changes copy it from now on). */
  private handOut(destination: string): readonly S[] {
    const entry = this.exact.get(destination);
    if (entry === undefined) return EMPTY;
    entry.shared = true;
    return entry.list;
  }

  private visit(prefix: string, destination: string, base: readonly S[], result: S[] | undefined): S[] | undefined {
    const bucket = this.byPrefix.get(prefix);
    if (bucket === undefined) return result;
    for (const entry of bucket) {
      this.tests++;
      if (!entry.pattern.matches(destination)) continue;
      result ??= [...base];
      for (const subscription of entry.subscriptions) result.push(subscription);
    }
    return result;
  }

  private evict(pattern: DestinationPattern): void {
    this.cache.evictWhere((destination) => pattern.matches(destination));
  }

  private dropPattern(entry: PatternEntry<S>): void {
    this.patterns.delete(entry.pattern.source);
    const prefix = entry.pattern.literalPrefix;
    const bucket = this.byPrefix.get(prefix)!;
    if (bucket.length === 1) this.byPrefix.delete(prefix);
    else bucket.splice(bucket.indexOf(entry), 1);
  }
}

/** The entry's list, copied first when a snapshot of it was handed out. */
function writable<S>(entry: ExactEntry<S>): S[] {
  if (entry.shared) {
    entry.list = entry.list.slice();
    entry.shared = false;
  }
  return entry.list;
}

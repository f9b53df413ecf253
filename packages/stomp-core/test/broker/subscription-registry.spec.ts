import { SubscriptionRegistry } from '../../src/broker/subscription-registry.js';
import { StompErrorCode } from '../../src/errors/error-codes.js';

interface Sub {
  readonly name: string;
  readonly destination: string;
}
const sub = (name: string, destination: string): Sub => ({ name, destination });
const names = (subs: readonly Sub[]) => subs.map((s) => s.name).sort();

describe('SubscriptionRegistry', () => {
  it('finds exact and pattern subscriptions, nothing else', () => {
    const registry = new SubscriptionRegistry<Sub>();
    registry.add(sub('exact', '/topic/price.stock.MMM'));
    registry.add(sub('other', '/topic/price.stock.IBM'));
    registry.add(sub('star', '/topic/price.stock.*'));
    registry.add(sub('deep', '/topic/**'));
    registry.add(sub('var', '/topic/{kind}.stock.MMM'));
    registry.add(sub('unrelated', '/queue/**'));
    expect(names(registry.find('/topic/price.stock.MMM'))).toEqual(['deep', 'exact', 'star', 'var']);
    expect(names(registry.find('/topic/price.stock.a.b'))).toEqual(['deep']);
    expect(names(registry.find('/app/x'))).toEqual([]);
    expect(registry.size).toBe(6);
    expect(registry.patternCount).toBe(4);
  });

  it('without pattern subscriptions, find is the exact lookup and caches nothing', () => {
    const registry = new SubscriptionRegistry<Sub>();
    registry.add(sub('a', '/topic/a'));
    const first = registry.find('/topic/a');
    expect(names(first)).toEqual(['a']);
    expect(registry.find('/topic/a')).toBe(first); // no allocation per lookup
    expect(registry.cacheSize).toBe(0);
  });

  it('caches pattern results per destination and reuses them', () => {
    const registry = new SubscriptionRegistry<Sub>();
    registry.add(sub('p', '/topic/*'));
    const first = registry.find('/topic/a');
    const tests = registry.patternTests;
    expect(registry.find('/topic/a')).toBe(first);
    expect(registry.patternTests).toBe(tests); // served from the cache, no matching
    expect(registry.cacheSize).toBe(1);
  });

  it('only tests patterns whose literal prefix is a prefix of the destination', () => {
    const registry = new SubscriptionRegistry<Sub>();
    for (let i = 0; i < 1000; i++) registry.add(sub(`s${i}`, `/topic/room${i}.*`));
    registry.add(sub('all', '/topic/**'));
    expect(names(registry.find('/topic/room7.x'))).toEqual(['all', 's7']);
    expect(registry.patternTests).toBe(2); // not 1001
  });

  it('returns snapshots: a found list does not change when subscriptions change', () => {
    const registry = new SubscriptionRegistry<Sub>();
    const a = sub('a', '/topic/x');
    const p = sub('p', '/topic/*');
    registry.add(a);
    registry.add(p);
    const before = registry.find('/topic/x');
    registry.remove(a);
    registry.add(sub('b', '/topic/x'));
    registry.add(sub('q', '/topic/**'));
    expect(names(before)).toEqual(['a', 'p']);
    expect(names(registry.find('/topic/x'))).toEqual(['b', 'p', 'q']);
  });

  it('returns snapshots of exact lists too, however they were handed out', () => {
    const registry = new SubscriptionRegistry<Sub>();
    const a = sub('a', '/topic/x');
    registry.add(a);
    registry.add(sub('b', '/topic/x'));
    const found = registry.find('/topic/x');
    const exact = registry.findExact('/topic/x');
    registry.add(sub('c', '/topic/x'));
    registry.remove(a);
    expect(names(found)).toEqual(['a', 'b']);
    expect(names(exact)).toEqual(['a', 'b']);
    const next = registry.find('/topic/x');
    expect(names(next)).toEqual(['b', 'c']);
    // Changed in place while nobody holds it, then copied again once handed out.
    registry.add(sub('d', '/topic/x'));
    expect(names(next)).toEqual(['b', 'c']);
    expect(names(registry.find('/topic/x'))).toEqual(['b', 'c', 'd']);
    // With patterns present but none matching, the exact list itself is cached and handed out.
    registry.add(sub('p', '/topic/other.*'));
    const viaCache = registry.find('/topic/x');
    registry.add(sub('e', '/topic/x'));
    expect(names(viaCache)).toEqual(['b', 'c', 'd']);
    expect(names(registry.find('/topic/x'))).toEqual(['b', 'c', 'd', 'e']);
  });

  it('evicts precisely: a pattern change evicts only the destinations it matches', () => {
    const registry = new SubscriptionRegistry<Sub>();
    registry.add(sub('p', '/topic/**'));
    registry.find('/topic/a.b');
    registry.find('/topic/c');
    const untouched = registry.find('/topic/a/z');
    expect(registry.cacheSize).toBe(3);
    const added = sub('ab', '/topic/a.*');
    registry.add(added);
    expect(registry.cacheSize).toBe(2);
    expect(names(registry.find('/topic/a.b'))).toEqual(['ab', 'p']);
    expect(registry.find('/topic/a/z')).toBe(untouched);
    registry.remove(added);
    expect(names(registry.find('/topic/a.b'))).toEqual(['p']);
    expect(registry.find('/topic/a/z')).toBe(untouched);
  });

  it('an exact subscription change evicts that destination only', () => {
    const registry = new SubscriptionRegistry<Sub>();
    registry.add(sub('p', '/topic/*'));
    const other = registry.find('/topic/b');
    registry.find('/topic/a');
    const exact = sub('x', '/topic/a');
    registry.add(exact);
    expect(names(registry.find('/topic/a'))).toEqual(['p', 'x']);
    expect(registry.find('/topic/b')).toBe(other);
    registry.remove(exact);
    expect(names(registry.find('/topic/a'))).toEqual(['p']);
  });

  it('removing the last pattern subscription empties the cache', () => {
    const registry = new SubscriptionRegistry<Sub>();
    const p = sub('p', '/topic/*');
    registry.add(p);
    registry.find('/topic/a');
    registry.remove(p);
    expect(registry.cacheSize).toBe(0);
    expect(registry.patternCount).toBe(0);
    expect(registry.find('/topic/a')).toEqual([]);
  });

  it('keeps at most cacheLimit destinations, evicting the oldest', () => {
    const registry = new SubscriptionRegistry<Sub>({ cacheLimit: 3 });
    registry.add(sub('p', '/topic/*'));
    for (const d of ['a', 'b', 'c', 'd', 'e']) registry.find(`/topic/${d}`);
    expect(registry.cacheSize).toBe(3);
    const tests = registry.patternTests;
    registry.find('/topic/e'); // newest: cached
    expect(registry.patternTests).toBe(tests);
    registry.find('/topic/a'); // oldest: evicted, recomputed
    expect(registry.patternTests).toBe(tests + 1);
    expect(registry.cacheSize).toBe(3);
  });

  it('handles several subscriptions on one pattern and removal by identity', () => {
    const registry = new SubscriptionRegistry<Sub>();
    const one = sub('one', '/topic/*');
    const two = sub('two', '/topic/*');
    registry.add(one);
    registry.add(two);
    expect(names(registry.find('/topic/a'))).toEqual(['one', 'two']);
    expect(registry.patternCount).toBe(1);
    expect(registry.remove(one)).toBe(true);
    expect(registry.remove(one)).toBe(false);
    expect(registry.remove(sub('two', '/topic/*'))).toBe(false); // equal, not the same object
    expect(names(registry.find('/topic/a'))).toEqual(['two']);
    expect(registry.size).toBe(1);
  });

  it('patterns without a literal prefix and destinations without a leading separator', () => {
    const registry = new SubscriptionRegistry<Sub>();
    registry.add(sub('any', '**'));
    registry.add(sub('slashStar', '/*'));
    registry.add(sub('dotted', 'a.*'));
    expect(names(registry.find('/x'))).toEqual(['any', 'slashStar']);
    expect(names(registry.find('a.b'))).toEqual(['any', 'dotted']);
    expect(names(registry.find(''))).toEqual(['any']);
  });

  it('rejects a malformed pattern and changes nothing', () => {
    const registry = new SubscriptionRegistry<Sub>();
    expect(() => registry.add(sub('bad', '/topic/a**'))).toThrow(expect.objectContaining({ code: StompErrorCode.INVALID_HEADER }));
    expect(registry.size).toBe(0);
    expect(registry.patternCount).toBe(0);
  });

  it('clear() forgets everything', () => {
    const registry = new SubscriptionRegistry<Sub>();
    registry.add(sub('a', '/topic/a'));
    registry.add(sub('p', '/topic/*'));
    registry.find('/topic/a');
    registry.clear();
    expect(registry.size).toBe(0);
    expect(registry.cacheSize).toBe(0);
    expect(registry.find('/topic/a')).toEqual([]);
  });
});

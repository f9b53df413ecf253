import fc from 'fast-check';
import { CompactMap } from '../../src/util/compact-map.js';

type Op = { kind: 'set'; key: string; value: number } | { kind: 'delete'; key: string } | { kind: 'clear' };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('set' as const), key: fc.constantFrom('', 'a', 'b', 'c'), value: fc.integer() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('delete' as const), key: fc.constantFrom('', 'a', 'b', 'c', 'x') }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('clear' as const) }) },
);

describe('CompactMap', () => {
  it('behaves like a Map for any sequence of changes, insertion order included', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        const compact = new CompactMap<number>();
        const map = new Map<string, number>();
        for (const o of ops) {
          if (o.kind === 'set') {
            expect(compact.set(o.key, o.value)).toBe(compact);
            map.set(o.key, o.value);
          } else if (o.kind === 'delete') {
            expect(compact.delete(o.key)).toBe(map.delete(o.key));
          } else {
            compact.clear();
            map.clear();
          }
          expect(compact.size).toBe(map.size);
          for (const key of ['', 'a', 'b', 'c', 'x']) {
            expect(compact.has(key)).toBe(map.has(key));
            expect(compact.get(key)).toBe(map.get(key));
          }
          expect([...compact]).toEqual([...map]);
          expect([...compact.keys()]).toEqual([...map.keys()]);
          expect([...compact.values()]).toEqual([...map.values()]);
        }
      }),
    );
  });

  it('keeps the empty string as a key of its own', () => {
    const compact = new CompactMap<string>();
    expect(compact.has('')).toBe(false);
    compact.set('', 'empty');
    expect([compact.has(''), compact.get(''), compact.size]).toEqual([true, 'empty', 1]);
    const seen: [string, string][] = [];
    compact.forEach((value, key) => seen.push([key, value]));
    expect(seen).toEqual([['', 'empty']]);
  });
});

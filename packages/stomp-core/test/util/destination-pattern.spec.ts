import fc from 'fast-check';
import { compilePattern, isPattern, MAX_PATTERN_SEGMENTS } from '../../src/util/destination-pattern.js';
import { StompErrorCode } from '../../src/errors/error-codes.js';
import { StompProtocolError } from '../../src/errors/stomp-protocol.error.js';
import { referenceMatch } from './reference-matcher.js';

const work = (pattern: unknown): number => (pattern as { work: number }).work;

describe('isPattern', () => {
  it.each([
    ['/topic/a', false],
    ['/topic/price.stock.MMM', false],
    ['/topic/*', true],
    ['/topic/**', true],
    ['/room/{room}', true],
    ['/a}b', false],
  ])('%s → %s', (destination, expected) => {
    expect(isPattern(destination)).toBe(expected);
  });
});

describe('compilePattern: matching', () => {
  it.each<[string, string, Record<string, string> | null]>([
    // one segment wildcards, both separators
    ['/topic/price.stock.*', '/topic/price.stock.MMM', {}],
    ['/topic/price.stock.*', '/topic/price.stock.a.b', null],
    ['/topic/price.stock.*', '/topic/price.stock', null],
    ['/topic/price.stock.*', '/topic/price.stock.', null], // '*' needs a non-empty segment
    ['/topic/*', '/topic/a', {}],
    ['/topic/*', '/topic.a', null], // separator must be the same character
    ['/topic/*/x', '/topic/a/x', {}],
    ['/topic/*/x', '/topic/a/b/x', null],
    // '**': zero or more segments, any inner separators
    ['/topic/**', '/topic/a/b.c', {}],
    ['/topic/**', '/topic/a', {}],
    ['/topic/**', '/topic', {}],
    ['/topic/**', '/topic/', {}],
    ['/topic/**', '/topic.a', null],
    ['/topic/**', '/topics/a', null],
    ['/a/**/b', '/a/b', {}],
    ['/a/**/b', '/a/x/y.z/b', {}],
    ['/a/**/b', '/a/x/y.z/c', null],
    ['/a/**.b', '/a.b', {}], // zero segments: either neighbouring separator may stay
    ['/a/**.b', '/a/b', {}],
    ['**', 'x', {}],
    ['**', '/any/thing.at.all', {}],
    ['**.end', 'end', {}],
    ['**.end', 'a/b.end', {}],
    ['**.end', 'a/b/end', null],
    // captures
    ['/room/{room}', '/room/general', { room: 'general' }],
    ['/room/{room}', '/room/', null],
    ['/room/{room}', '/room/a/b', null],
    ['/a.{x}.*', '/a.b.c', { x: 'b' }],
    ['/app/{a}/{b}', '/app/1/2', { a: '1', b: '2' }],
    ['/a/**/{last}', '/a/x/y/z', { last: 'z' }],
    ['/a/**/{v}/**/c', '/a/1/2/3/c', { v: '1' }], // shortest '**' first
    ['/topic/chat.{room}', '/topic/chat.general', { room: 'general' }],
    // literals only
    ['/topic/a', '/topic/a', {}],
    ['/topic/a', '/topic/b', null],
    ['', '', {}],
  ])('%s against %s', (pattern, destination, expected) => {
    const compiled = compilePattern(pattern);
    expect(compiled.match(destination)).toEqual(expected);
    expect(compiled.matches(destination)).toBe(expected !== null);
  });

  it('reports its variables, in order, and its literal prefix', () => {
    expect(compilePattern('/app/{room}/x.{id}').variables).toEqual(['room', 'id']);
    expect(compilePattern('/topic/price.stock.*').literalPrefix).toBe('/topic/price.stock');
    expect(compilePattern('/topic/**').literalPrefix).toBe('/topic');
    expect(compilePattern('**/x').literalPrefix).toBe('');
    expect(compilePattern('/*').literalPrefix).toBe('');
    expect(compilePattern('/a/b').literalPrefix).toBe('/a/b');
  });

  it('returns a fresh captures object each time', () => {
    const pattern = compilePattern('/room/{room}');
    const first = pattern.match('/room/a')!;
    first.room = 'changed';
    expect(pattern.match('/room/a')).toEqual({ room: 'a' });
  });
});

describe('compilePattern: malformed patterns', () => {
  it.each([
    ['/room/{room', /unclosed '\{'/],
    ['/room/{a.b}', /unclosed '\{'/],
    ['/topic/a**', /'\*\*' must be a whole segment/],
    ['/topic/**a', /'\*\*' must be a whole segment/],
    ['/topic/price*', /'\*' must be a whole segment/],
    ['/topic/x{id}', /'\{var\}' must be a whole segment/],
    ['/topic/a}', /'\{var\}' must be a whole segment/],
    ['/room/{}', /not a valid variable name/],
    ['/room/{1x}', /not a valid variable name/],
    ['/room/{id:[0-9]+}', /not a valid variable name/],
    ['/a/{x}/{x}', /appears twice/],
  ])('%s is rejected', (pattern, message) => {
    let error: unknown;
    try {
      compilePattern(pattern);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(StompProtocolError);
    expect((error as StompProtocolError).code).toBe(StompErrorCode.INVALID_HEADER);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).toContain(pattern);
  });

  it(`rejects patterns longer than ${MAX_PATTERN_SEGMENTS} segments`, () => {
    const ok = '/*'.repeat(MAX_PATTERN_SEGMENTS - 1);
    expect(() => compilePattern(ok)).not.toThrow();
    expect(() => compilePattern(ok + '/*')).toThrow(expect.objectContaining({ code: StompErrorCode.INVALID_HEADER }));
  });
});

describe('compilePattern: bounded work', () => {
  it('adversarial ** patterns cost at most one step per table cell', () => {
    // A backtracking matcher explores O(n^k) splits here: many '**', a long destination, no match at the end.
    const source = '/**/a/**/a/**/a/**/a/**/a/**/b';
    const pattern = compilePattern(source);
    const m = source.split('/').length; // 13 pattern segments
    const n = 4000;
    const destination = '/a'.repeat(n - 1); // n segments, the leading empty one included
    const before = work(pattern);
    expect(pattern.matches(destination)).toBe(false);
    expect(work(pattern) - before).toBeLessThanOrEqual((m + 1) * (n + 1));
    // The captures walk adds at most a step per pattern segment on top of the table.
    const matching = compilePattern('/**/{v}/**/b');
    const start = work(matching);
    expect(matching.match(destination + '/x/b')).toEqual({ v: 'a' });
    const m2 = 5;
    const n2 = n + 2;
    expect(work(matching) - start).toBeLessThanOrEqual((m2 + 1) * (n2 + 1) + m2);
  });

  it('without ** matching is linear in the segments', () => {
    const pattern = compilePattern('/topic/*/*/{x}');
    const before = work(pattern);
    expect(pattern.matches('/topic' + '/a'.repeat(5000))).toBe(false);
    expect(work(pattern) - before).toBeLessThanOrEqual(5);
  });

  it('rejects on the literal prefix before any table work', () => {
    const pattern = compilePattern('/queue/**/x');
    const before = work(pattern);
    expect(pattern.matches('/topic' + '/a'.repeat(5000))).toBe(false);
    expect(work(pattern) - before).toBe(0);
  });
});

describe('compilePattern: agrees with a brute-force reference', () => {
  const patternSegment = fc.constantFrom('a', 'b', '', '*', '**', '{var}');
  const destinationSegment = fc.constantFrom('a', 'b', '', 'c');
  const separator = fc.constantFrom('/', '.');
  const joined = (segments: fc.Arbitrary<string>, max: number) =>
    fc.tuple(fc.array(segments, { minLength: 1, maxLength: max }), fc.array(separator, { minLength: max, maxLength: max })).map(
      ([parts, seps]) => {
        let variable = 0;
        const named = parts.map((p) => (p === '{var}' ? `{v${variable++}}` : p));
        return named.reduce((out, part, i) => (i === 0 ? part : out + seps[i - 1] + part), '');
      },
    );

  it('match() equals the reference on random patterns and destinations', () => {
    let matched = 0;
    fc.assert(
      fc.property(joined(patternSegment, 7), joined(destinationSegment, 9), (pattern, destination) => {
        const expected = referenceMatch(pattern, destination);
        if (expected !== null) matched++;
        expect(compilePattern(pattern).match(destination)).toEqual(expected);
      }),
      { numRuns: 3000 },
    );
    expect(matched).toBeGreaterThan(100); // the generator exercises matches, not only misses
  });
});

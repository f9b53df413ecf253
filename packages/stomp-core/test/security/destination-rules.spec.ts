import fc from 'fast-check';
import { compilePattern, isPattern } from '../../src/util/destination-pattern.js';
import { DestinationRules } from '../../src/security/destination-rules.js';
import type { DestinationRule, RuleFrameSelector } from '../../src/security/destination-rule.js';
import type { StompError } from '../../src/errors/stomp.error.js';
import type { StompFrame } from '../../src/codec/stomp-frame.js';
import type { StompSession } from '../../src/session/stomp-session.js';

const session = { principal: undefined } as unknown as StompSession;

/** Which rule decides, the obvious way: every rule in order. */
function reference(rules: DestinationRule[], command: string, destination: string | undefined): number {
  const type = command === 'STOMP' ? 'CONNECT' : command;
  return rules.findIndex((rule) => {
    const typeOk = rule.frames === undefined || rule.frames.includes(type as RuleFrameSelector) || (destination === undefined && rule.frames.includes('NO_DESTINATION'));
    if (!typeOk) return false;
    if (rule.destinations === undefined) return true;
    if (destination === undefined) return false;
    return rule.destinations.some((source) => (isPattern(source) ? compilePattern(source).matches(destination) : source === destination));
  });
}

const SEGMENTS = ['a', 'b', 'c'];
const segment = fc.constantFrom(...SEGMENTS);
const patternSegment = fc.constantFrom(...SEGMENTS, '*', '**', '{v}');
const destinationArb = fc.array(segment, { minLength: 1, maxLength: 4 }).map((parts) => `/${parts.join('/')}`);
const patternArb = fc
  .array(patternSegment, { minLength: 1, maxLength: 4 })
  .map((parts) => `/${parts.map((part, i) => (part === '{v}' ? `{v${i}}` : part)).join('/')}`);
const FRAMES: RuleFrameSelector[] = ['CONNECT', 'SEND', 'SUBSCRIBE', 'ACK', 'MESSAGE', 'NO_DESTINATION'];
const ruleArb = fc.record(
  {
    frames: fc.uniqueArray(fc.constantFrom(...FRAMES), { minLength: 1, maxLength: 3 }),
    destinations: fc.uniqueArray(fc.oneof(patternArb, destinationArb), { minLength: 1, maxLength: 3 }),
  },
  { requiredKeys: [] },
).filter((rule) => !(rule.destinations !== undefined && rule.frames?.includes('NO_DESTINATION')));

describe('DestinationRules', () => {
  it('decides with the same rule as a linear scan in order (literal Map, pattern list, catch-all, cache)', () => {
    fc.assert(
      fc.property(
        fc.array(ruleArb, { minLength: 1, maxLength: 8 }),
        fc.array(fc.tuple(fc.constantFrom('CONNECT', 'STOMP', 'SEND', 'SUBSCRIBE', 'ACK', 'NACK'), fc.option(destinationArb, { nil: undefined })), { minLength: 1, maxLength: 20 }),
        (shapes, frames) => {
          // Each rule's voter reports its index; the second pass runs from the match cache.
          const rules: DestinationRule[] = shapes.map((shape, index) => ({ ...shape, access: reporter(index) }));
          const compiled = new DestinationRules(rules);
          for (const [command, destination] of [...frames, ...frames]) {
            expect(probeRule(compiled, command, destination)).toBe(reference(rules, command, destination));
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("permit and deny decide without a voter call; 'authenticated' needs a principal", () => {
    const rules = new DestinationRules([
      { frames: ['SEND'], destinations: ['/open/**'], access: 'permit' },
      { frames: ['SEND'], destinations: ['/members/**'], access: 'authenticated' },
      { access: 'deny' },
    ]);
    const send = (destination: string): StompFrame => ({ command: 'SEND', headers: { destination }, body: Buffer.alloc(0) });
    expect(rules.enforce(session, send('/open/x'))).toBeUndefined();
    expect(() => rules.enforce(session, send('/members/x'))).toThrow('Access denied');
    expect(rules.enforce({ principal: { name: 'a' } } as unknown as StompSession, send('/members/x'))).toBeUndefined();
    expect(() => rules.enforce(session, send('/other'))).toThrow('Access denied');
    // Long destinations are decided the same, without being cached.
    expect(rules.enforce(session, send(`/open/${'x'.repeat(300)}`))).toBeUndefined();
    expect(() => rules.enforce(session, send(`/other/${'x'.repeat(300)}`))).toThrow('Access denied');
    expect(rules.filtersMessages).toBe(false);
  });
});

let lastRule = -1;
function reporter(index: number): () => boolean {
  return () => {
    lastRule = index;
    return true;
  };
}

function probeRule(rules: DestinationRules, command: string, destination: string | undefined): number {
  lastRule = -1;
  const headers: Record<string, string> = {};
  if (destination !== undefined) headers.destination = destination;
  try {
    rules.enforce(session, { command, headers, body: Buffer.alloc(0) });
  } catch (error) {
    expect((error as StompError).code).toBe('STOMP_ACCESS_DENIED');
    return -1;
  }
  return lastRule;
}


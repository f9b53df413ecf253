import { StompErrorCode } from '../errors/error-codes.js';
import { StompProtocolError } from '../errors/stomp-protocol.error.js';
import { segmentDestination, segmentEnd, separatorBefore, segmentStarts } from './destination-segments.js';

/**
 * Destination patterns, Spring's syntax: `{var}` captures one segment, `*` matches one segment,
 * `**` matches zero or more segments. Segments are separated by `/` or `.`; a separator in the
 * pattern must be the same character in the destination at that place (`/topic/a.*` does not
 * match `/topic/a/b`).
 *
 * Rules we chose where Spring leaves room:
 * - Wildcards are whole segments. `price*`, `a**`, `x{id}` are rejected (INVALID_HEADER).
 * - `*` and `{var}` need a non-empty segment; `**` takes anything, empty segments included.
 * - When `**` takes zero segments, it disappears with one of its two separators: `/a/**\/b`
 *   matches `/a/b`, and `/topic/**` matches `/topic` itself (as Spring's AntPathMatcher does).
 * - Variable names are identifiers (`[A-Za-z_$][\w$-]*`), unique within a pattern. Spring's
 *   `{var:regex}` form is not supported: no regular expression ever runs while matching.
 *
 * Matching costs O(segments) without `**`, and at most (pattern segments + 1) x (destination
 * segments + 1) table cells with `**` (a dynamic programme instead of backtracking), so no input
 * can make it exponential.
 */
export interface DestinationPattern {
  readonly source: string;
  /** Names of the `{var}` captures, in pattern order. */
  readonly variables: readonly string[];
  /** The pattern up to its first wildcard segment (without the separator before it); '' when it starts with one. */
  readonly literalPrefix: string;
  /** The captured variables (an empty object without variables), or null when `destination` does not match. */
  match(destination: string): Record<string, string> | null;
  /** Like `match`, without building the captures. */
  matches(destination: string): boolean;
}

/** Longest pattern we compile, in segments: bounds the matching table (patterns come from SUBSCRIBE headers). */
export const MAX_PATTERN_SEGMENTS = 128;

/** True when `destination` uses pattern syntax (`*`, `**` or `{var}`). */
export function isPattern(destination: string): boolean {
  return destination.indexOf('*') !== -1 || destination.indexOf('{') !== -1;
}

/** Compiles a pattern once; throws StompProtocolError(INVALID_HEADER) when it is malformed. */
export function compilePattern(pattern: string): DestinationPattern {
  return new CompiledPattern(pattern);
}

const LITERAL = 0;
const ONE = 1;
const ANY = 2;
// Table cell bits: F1/F0 = "the rest of the pattern matches the rest of the destination" when the
// pending separator requirement is / is not already satisfied; IN = "inside a `**`, can finish".
const F1 = 1;
const F0 = 2;
const IN = 4;
const VARIABLE_NAME = /^[A-Za-z_$][\w$-]*$/;

let table = new Uint8Array(1024);

function invalid(pattern: string, why: string): StompProtocolError {
  return new StompProtocolError(StompErrorCode.INVALID_HEADER, `Invalid destination pattern '${pattern}': ${why}`);
}

class CompiledPattern implements DestinationPattern {
  readonly variables: string[] = [];
  readonly literalPrefix: string;
  /** Steps spent by match()/matches() since creation: instrumentation for tests bounding the work. */
  work = 0;
  private readonly kinds: number[] = [];
  private readonly literals: string[] = [];
  private readonly names: (string | undefined)[] = [];
  /** seps[j]: char code of the separator before segment j (seps[0] unused). */
  private readonly seps: number[] = [0];
  private readonly hasAny: boolean;

  constructor(readonly source: string) {
    const positions: number[] = [];
    let start = 0;
    for (let i = 0; i <= source.length; i++) {
      const c = i < source.length ? source.charCodeAt(i) : -1;
      if (c !== 0x2f && c !== 0x2e && c !== -1) continue;
      positions.push(start);
      this.addSegment(source.slice(start, i));
      if (c !== -1) this.seps.push(c);
      start = i + 1;
    }
    if (this.kinds.length > MAX_PATTERN_SEGMENTS) throw invalid(source, `more than ${MAX_PATTERN_SEGMENTS} segments`);
    const first = this.kinds.findIndex((k) => k !== LITERAL);
    this.literalPrefix = first === -1 ? source : first === 0 ? '' : source.slice(0, positions[first]! - 1);
    this.hasAny = this.kinds.includes(ANY);
  }

  match(destination: string): Record<string, string> | null {
    if (!this.test(destination)) return null;
    const captures: Record<string, string> = {};
    if (this.variables.length > 0) this.capture(destination, captures);
    return captures;
  }

  matches(destination: string): boolean {
    return this.test(destination);
  }

  private addSegment(segment: string): void {
    let kind = LITERAL;
    let name: string | undefined;
    if (segment === '**') kind = ANY;
    else if (segment === '*') kind = ONE;
    else if (segment.startsWith('{')) {
      if (!segment.endsWith('}')) throw invalid(this.source, `unclosed '{' in segment '${segment}'`);
      name = segment.slice(1, -1);
      if (!VARIABLE_NAME.test(name)) throw invalid(this.source, `'{${name}}' is not a valid variable name`);
      if (this.variables.includes(name)) throw invalid(this.source, `variable '{${name}}' appears twice`);
      this.variables.push(name);
      kind = ONE;
    } else if (segment.includes('**')) {
      throw invalid(this.source, `'**' must be a whole segment, not part of '${segment}'`);
    } else if (segment.includes('*')) {
      throw invalid(this.source, `'*' must be a whole segment, not part of '${segment}'`);
    } else if (segment.includes('{') || segment.includes('}')) {
      throw invalid(this.source, `'{var}' must be a whole segment, not part of '${segment}'`);
    }
    this.kinds.push(kind);
    this.literals.push(kind === LITERAL ? segment : '');
    this.names.push(name);
  }

  private test(destination: string): boolean {
    // Necessary condition, cheap: the literal prefix is matched exactly.
    if (!destination.startsWith(this.literalPrefix)) return false;
    const n = segmentDestination(destination);
    return this.hasAny ? this.fillTable(destination, n) : this.matchFixed(destination, n);
  }

  /** No `**`: segment j matches segment j, separators equal. */
  private matchFixed(destination: string, n: number): boolean {
    const m = this.kinds.length;
    if (n !== m) return false;
    const starts = segmentStarts();
    for (let j = 0; j < m; j++) {
      this.work++;
      if (j > 0 && destination.charCodeAt(starts[j]! - 1) !== this.seps[j]) return false;
      if (!this.segmentMatches(j, destination, starts[j]!, segmentEnd(destination, j, n))) return false;
    }
    return true;
  }

  private segmentMatches(j: number, destination: string, start: number, end: number): boolean {
    if (this.kinds[j] === ONE) return end > start;
    const literal = this.literals[j]!;
    return end - start === literal.length && destination.startsWith(literal, start);
  }

  /**
   * Fills the table backwards (cell j,i: pattern segments j.. against destination segments i..)
   * and answers whether the whole pattern matches. Work: one step per cell.
   */
  private fillTable(destination: string, n: number): boolean {
    const m = this.kinds.length;
    const width = n + 1;
    const cells = (m + 1) * width;
    if (table.length < cells) table = new Uint8Array(Math.max(cells, table.length * 2));
    const starts = segmentStarts();
    for (let i = 0; i < n; i++) table[m * width + i] = 0;
    table[m * width + n] = F1 | F0;
    for (let i = n; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        this.work++;
        let f1 = false;
        let f0 = false;
        let inside = false;
        if (this.kinds[j] !== ANY) {
          f1 = i < n && this.segmentMatches(j, destination, starts[i]!, segmentEnd(destination, i, n)) && this.next(destination, j + 1, i + 1, width, n);
        } else {
          // Zero segments: `**` and one separator vanish; the separator now at i may be either neighbour.
          const rest = table[(j + 1) * width + i]!;
          f1 = (rest & F1) !== 0;
          const rightSatisfied = j + 1 < m && i > 0 && i < n && separatorBefore(destination, i) === this.seps[j + 1];
          f0 = rightSatisfied ? f1 : (rest & F0) !== 0;
          // One or more segments: consume segment i, then continue inside.
          if (i < n && (table[j * width + i + 1]! & IN) !== 0) f1 = true;
          if (i >= 1) inside = this.next(destination, j + 1, i, width, n) || (i < n && (table[j * width + i + 1]! & IN) !== 0);
        }
        if (i === 0 || i === n) f0 = f1; // no separator to check at either end
        table[j * width + i] = (f1 ? F1 : 0) | (f0 ? F0 : 0) | (inside ? IN : 0);
      }
    }
    return (table[0]! & F1) !== 0;
  }

  /** Value of cell (j,i) entered after a segment, with separator requirement seps[j]. */
  private next(destination: string, j: number, i: number, width: number, n: number): boolean {
    const cell = table[j * width + i]!;
    if (j === this.kinds.length || i === 0 || i === n) return (cell & F1) !== 0;
    return (cell & (separatorBefore(destination, i) === this.seps[j] ? F1 : F0)) !== 0;
  }

  /** After a successful test(): walks the match (shortest `**` first) and records the captures. */
  private capture(destination: string, captures: Record<string, string>): void {
    const m = this.kinds.length;
    const n = segmentDestination(destination);
    const starts = segmentStarts();
    if (!this.hasAny) {
      for (let j = 0; j < m; j++) {
        const name = this.names[j];
        if (name !== undefined) captures[name] = destination.slice(starts[j]!, segmentEnd(destination, j, n));
      }
      return;
    }
    const width = n + 1;
    let j = 0;
    let i = 0;
    let satisfied = true;
    while (j < m) {
      this.work++;
      if (this.kinds[j] !== ANY) {
        const name = this.names[j];
        if (name !== undefined) captures[name] = destination.slice(starts[i]!, segmentEnd(destination, i, n));
        i++;
        j++;
      } else {
        const rest = table[(j + 1) * width + i]!;
        const satisfiedIfZero: boolean = satisfied || (j + 1 < m && i > 0 && i < n && separatorBefore(destination, i) === this.seps[j + 1]);
        if ((rest & (satisfiedIfZero ? F1 : F0)) !== 0) {
          j++;
          satisfied = satisfiedIfZero;
          continue;
        }
        i++;
        while (!this.next(destination, j + 1, i, width, n)) i++;
        j++;
      }
      satisfied = j === m || i === n || separatorBefore(destination, i) === this.seps[j];
    }
  }
}

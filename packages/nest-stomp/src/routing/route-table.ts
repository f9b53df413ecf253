import { compilePattern, isPattern, type DestinationPattern } from '@nest-stomp/core';

export interface RouteMatch<T> {
  target: T;
  variables: Readonly<Record<string, string>>;
}

interface PatternRoute<T> {
  pattern: DestinationPattern;
  target: T;
  anyCount: number;
  wildcardCount: number;
  literalLength: number;
  order: number;
}

const NO_VARIABLES: Readonly<Record<string, string>> = Object.freeze({});

/**
 * Mappings of one frame type, built once at bootstrap: literal patterns in a Map (one lookup per
 * frame), wildcard patterns tried most specific first (Spring's pattern comparator: fewer `**`,
 * then fewer `*` and `{var}`, then the longer literal text, then declaration order).
 */
export class RouteTable<T> {
  private readonly exact = new Map<string, T>();
  private readonly patterns: PatternRoute<T>[] = [];
  private readonly sources = new Map<string, string>();

  /**
   * Adds a mapping; `build` makes its target from the pattern's `{var}` names. `owner` names the
   * handler in errors. Throws on a malformed or duplicate pattern.
   */
  add(source: string, build: (variables: readonly string[]) => T, owner: string): void {
    const previous = this.sources.get(source);
    if (previous !== undefined) {
      throw new Error(`Duplicate STOMP mapping '${source}': ${previous} and ${owner}`);
    }
    if (!isPattern(source)) {
      this.exact.set(source, build([]));
      this.sources.set(source, owner);
      return;
    }
    let pattern: DestinationPattern;
    try {
      pattern = compilePattern(source);
    } catch (error) {
      throw new Error(`Invalid STOMP mapping on ${owner}: ${(error as Error).message}`);
    }
    const target = build(pattern.variables);
    this.sources.set(source, owner);
    const segments = source.split(/[/.]/);
    this.patterns.push({
      pattern,
      target,
      anyCount: segments.filter((s) => s === '**').length,
      wildcardCount: segments.filter((s) => s === '*' || s.startsWith('{')).length,
      literalLength: segments.filter((s) => s !== '**' && s !== '*' && !s.startsWith('{')).join('').length,
      order: this.patterns.length,
    });
    this.patterns.sort(
      (a, b) =>
        a.anyCount - b.anyCount ||
        a.wildcardCount - b.wildcardCount ||
        b.literalLength - a.literalLength ||
        a.order - b.order,
    );
  }

  match(lookup: string): RouteMatch<T> | undefined {
    const target = this.exact.get(lookup);
    if (target !== undefined) return { target, variables: NO_VARIABLES };
    const patterns = this.patterns;
    for (let i = 0; i < patterns.length; i++) {
      const variables = patterns[i]!.pattern.match(lookup);
      if (variables) return { target: patterns[i]!.target, variables };
    }
    return undefined;
  }

  get size(): number {
    return this.sources.size;
  }
}

/**
 * Brute-force reference for destination patterns, written from the documented rules only
 * (exponential: for small random inputs in property tests). `**` takes zero segments first, then
 * one, two... so its captures are the ones the real matcher must report.
 */
export function referenceMatch(pattern: string, destination: string): Record<string, string> | null {
  const p = split(pattern);
  const d = split(destination);
  const captures: Record<string, string> = {};

  // allowed: separators the destination separator before segment i may be; null = no constraint.
  const walk = (j: number, i: number, allowed: Set<string> | null): boolean => {
    if (j === p.segments.length) return i === d.segments.length;
    const segment = p.segments[j]!;
    const sepOk = (at: number) => at === 0 || allowed === null || allowed.has(d.seps[at]!);
    const after = j + 1 < p.segments.length ? new Set([p.seps[j + 1]!]) : null;
    if (segment === '**') {
      // zero segments: '**' goes away with one of its separators (the remaining one may be either)
      const widened = allowed === null || j + 1 >= p.segments.length ? allowed : new Set([...allowed, p.seps[j + 1]!]);
      if (walk(j + 1, i, widened)) return true;
      if (!sepOk(i)) return false;
      for (let end = i + 1; end <= d.segments.length; end++) {
        if (walk(j + 1, end, after)) return true;
      }
      return false;
    }
    if (i >= d.segments.length || !sepOk(i)) return false;
    const value = d.segments[i]!;
    if (segment === '*') {
      if (value === '') return false;
    } else if (segment.startsWith('{')) {
      if (value === '') return false;
      const name = segment.slice(1, -1);
      const saved = captures[name];
      captures[name] = value;
      if (walk(j + 1, i + 1, after)) return true;
      if (saved === undefined) delete captures[name];
      else captures[name] = saved;
      return false;
    } else if (segment !== value) {
      return false;
    }
    return walk(j + 1, i + 1, after);
  };

  return walk(0, 0, null) ? captures : null;
}

/** segments[i], with seps[i] the separator before segments[i] (seps[0] unused). */
function split(text: string): { segments: string[]; seps: string[] } {
  const segments: string[] = [];
  const seps: string[] = [''];
  let current = '';
  for (const ch of text) {
    if (ch === '/' || ch === '.') {
      segments.push(current);
      seps.push(ch);
      current = '';
    } else current += ch;
  }
  segments.push(current);
  return { segments, seps };
}

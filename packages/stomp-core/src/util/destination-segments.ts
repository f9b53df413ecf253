/**
 * Splits a destination into segments at `/` and `.` without allocating substrings: the start
 * offsets go into a shared scratch array (matching is synchronous, never re-entered, so one
 * scratch array serves every pattern). Internal to the pattern matcher.
 */

const SLASH = 0x2f;
const DOT = 0x2e;

let starts = new Int32Array(64);

/** True for the two segment separators. */
export function isSeparator(charCode: number): boolean {
  return charCode === SLASH || charCode === DOT;
}

/** Fills the scratch offsets for `destination` and returns its number of segments (at least 1). */
export function segmentDestination(destination: string): number {
  let n = 1;
  starts[0] = 0;
  for (let i = 0; i < destination.length; i++) {
    const c = destination.charCodeAt(i);
    if (c !== SLASH && c !== DOT) continue;
    if (n === starts.length) {
      const grown = new Int32Array(starts.length * 2);
      grown.set(starts);
      starts = grown;
    }
    starts[n++] = i + 1;
  }
  return n;
}

/** Start offsets of the segments found by the last segmentDestination() call. */
export function segmentStarts(): Int32Array {
  return starts;
}

/** End offset (exclusive) of segment `index` among `count`. */
export function segmentEnd(destination: string, index: number, count: number): number {
  return index + 1 < count ? starts[index + 1]! - 1 : destination.length;
}

/** Char code of the separator before segment `index` (index ≥ 1). */
export function separatorBefore(destination: string, index: number): number {
  return destination.charCodeAt(starts[index]! - 1);
}

import type { StompHeaders } from './stomp-frame.js';

/**
 * Constructor of header maps whose prototype is an empty null-prototype object: a peer may send
 * headers named `__proto__`, `constructor` or `toString` and they become plain own properties,
 * never touching Object.prototype, while `map[name] === undefined` still means "not present".
 * A constructor (rather than Object.create(null) per frame) keeps V8's fast hidden-class objects
 * for the usual handful of headers.
 */
const HeaderMap = function HeaderMap(): void {} as unknown as { new (): StompHeaders; prototype: object };
HeaderMap.prototype = Object.create(null) as object;

/** An empty header map that is safe for any header name (see HeaderMap above). */
export function createHeaderMap(): StompHeaders {
  return new HeaderMap();
}

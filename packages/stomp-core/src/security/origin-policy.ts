import type { IncomingMessage } from 'node:http';

/**
 * Which browser origins may open the WebSocket endpoint (Spring's `setAllowedOrigins` /
 * `setAllowedOriginPatterns`), checked on the upgrade request before any STOMP.
 *
 * - undefined (default): same origin only: the Origin's host and port must equal the request's
 *   `Host` header (what the browser connected to).
 * - a list: exact origins (`https://app.example`), patterns with `*` (`https://*.example.com`,
 *   `http://localhost:*` = any port or none), `'null'` for opaque origins, or `'*'` for any.
 *
 * A request without an Origin header is allowed: browsers always send one on a WebSocket
 * handshake, so its absence means a non-browser client (Node, Python, Java), which no cookie-riding
 * cross-site page can be. Spring does the same.
 */
export type AllowedOrigins = readonly string[] | undefined;

const DEFAULT_PORTS: Record<string, string> = { 'http:': '80', 'https:': '443', 'ws:': '80', 'wss:': '443' };

/** `scheme://host[:port]`, lowercase, without a default port; undefined when not a URL origin. */
function normaliseOrigin(origin: string): string | undefined {
  try {
    const url = new URL(origin);
    if (url.origin === 'null') return undefined;
    return url.origin.toLowerCase();
  } catch {
    return undefined;
  }
}

/** `host[:port]` of a Host header, lowercase, without the default port of `protocol`. */
function normaliseHost(host: string, protocol: string): string {
  const lower = host.trim().toLowerCase();
  const port = DEFAULT_PORTS[protocol];
  return port !== undefined && lower.endsWith(`:${port}`) ? lower.slice(0, -port.length - 1) : lower;
}

function compileOriginPattern(pattern: string): RegExp {
  let rest = pattern.toLowerCase();
  let anyPort = false;
  if (rest.endsWith(':*')) {
    anyPort = true;
    rest = rest.slice(0, -2);
  }
  // Each '*' is one run of host characters: it never crosses into a path or a port.
  const source = rest
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\/]/g, '\\$&'))
    .join('[^/:]*');
  return new RegExp(`^${source}${anyPort ? '(?::[0-9]+)?' : ''}$`);
}

export class OriginPolicy {
  private readonly any: boolean;
  private readonly exact = new Set<string>();
  private readonly patterns: RegExp[] = [];
  private readonly sameOrigin: boolean;

  constructor(allowed: AllowedOrigins) {
    this.sameOrigin = allowed === undefined;
    this.any = allowed?.includes('*') === true;
    for (const entry of allowed ?? []) {
      if (typeof entry !== 'string' || entry.length === 0) throw new TypeError('allowedOrigins entries must be non-empty strings');
      if (entry === '*') continue;
      if (entry === 'null') this.exact.add('null');
      else if (entry.includes('*')) this.patterns.push(compileOriginPattern(entry));
      else {
        const origin = normaliseOrigin(entry);
        if (origin === undefined) throw new TypeError(`allowedOrigins: '${entry}' is not an origin (scheme://host[:port])`);
        this.exact.add(origin);
      }
    }
  }

  /** True when this upgrade request may proceed. */
  allows(request: IncomingMessage): boolean {
    const header = request.headers.origin;
    if (header === undefined) return true;
    if (this.any) return true;
    const origin = normaliseOrigin(header);
    if (origin === undefined) return this.exact.has(header.trim().toLowerCase());
    if (this.sameOrigin) {
      const host = request.headers.host;
      return host !== undefined && origin.slice(origin.indexOf('//') + 2) === normaliseHost(host, new URL(origin).protocol);
    }
    if (this.exact.has(origin)) return true;
    for (const pattern of this.patterns) if (pattern.test(origin)) return true;
    return false;
  }
}

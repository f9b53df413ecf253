import type { IncomingMessage } from 'node:http';
import { BlockList, isIP, isIPv4, isIPv6 } from 'node:net';

/**
 * Which hops of a WebSocket upgrade request are reverse proxies whose `X-Forwarded-For` entries
 * may be believed (Express's `trust proxy`, narrowed to the two safe forms):
 *
 * - `false` / `0` / undefined (default): the header is ignored; the client is the socket's peer.
 *   Any client can write the header, so believing it unasked would let one client pose as many
 *   and walk around `maxConnectionsPerAddress`.
 * - a number n ≥ 1: exactly n proxies stand in front. The socket's peer is the nearest one and
 *   each proxy appends the address it saw, so the client is the n-th entry from the right. A
 *   header with fewer than n entries did not pass all n proxies: the socket's peer is used. The
 *   peer itself is not checked: only for endpoints reachable through the proxies alone.
 * - a list of proxy addresses and CIDR subnets (`'10.0.0.0/8'`, `'::1'`): the header counts only
 *   when the socket's peer is in the list; then entries are read from the right, skipping listed
 *   ones, and the first address not in the list is the client (the right-most untrusted hop).
 *   When every hop is listed, the left-most entry is the client.
 *
 * `true` (trust every hop) is refused on purpose: it would believe a header any direct client
 * writes. Entries are plain addresses; `1.2.3.4:5678` and `[::1]:5678` (proxies that add the
 * port) are read without the port. An entry that must be read and is not an address makes the
 * whole header malformed: the socket's peer is used (never a client-chosen fallback). Entries
 * left of the client are never read: they are whatever the client wrote. The standardised
 * `Forwarded` header (RFC 7239) is not read: X-Forwarded-For is what proxies send by default.
 */
export type TrustProxy = false | number | readonly string[];

/** IPv4 clients of a dual-stack socket come as `::ffff:1.2.3.4`: one client, one spelling. */
function unmapped(address: string): string {
  return address.startsWith('::ffff:') && isIPv4(address.slice(7)) ? address.slice(7) : address;
}

/** The address of one X-Forwarded-For entry, without a port or brackets; undefined when it is none. */
function parseEntry(raw: string): string | undefined {
  const entry = raw.trim();
  if (isIP(entry) !== 0) return unmapped(entry);
  if (entry.startsWith('[')) {
    // [v6] or [v6]:port
    const close = entry.indexOf(']');
    if (close < 0) return undefined;
    const rest = entry.slice(close + 1);
    if (rest !== '' && !(rest.startsWith(':') && isPort(rest.slice(1)))) return undefined;
    const inner = entry.slice(1, close);
    return isIPv6(inner) ? unmapped(inner) : undefined;
  }
  // v4:port (a bare IPv6 address has several colons and was recognised above)
  const colon = entry.indexOf(':');
  if (colon > 0 && entry.indexOf(':', colon + 1) < 0 && isPort(entry.slice(colon + 1))) {
    const host = entry.slice(0, colon);
    return isIPv4(host) ? host : undefined;
  }
  return undefined;
}

function isPort(digits: string): boolean {
  if (digits.length === 0 || digits.length > 5) return false;
  for (let i = 0; i < digits.length; i++) {
    const c = digits.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return Number(digits) <= 65535;
}

function compileList(entries: readonly string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    if (typeof entry !== 'string') throw new TypeError('trustProxy entries must be strings (addresses or CIDR subnets)');
    const slash = entry.indexOf('/');
    const address = unmapped(slash < 0 ? entry : entry.slice(0, slash));
    const family = isIP(address);
    if (family === 0) throw new TypeError(`trustProxy: '${entry}' is not an IP address or CIDR subnet`);
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (slash < 0) {
      list.addAddress(address, type);
      continue;
    }
    const prefixText = entry.slice(slash + 1);
    const prefix = Number(prefixText);
    if (prefixText === '' || !Number.isInteger(prefix) || prefix < 0 || prefix > (family === 4 ? 32 : 128)) {
      throw new TypeError(`trustProxy: '${entry}' has an invalid prefix length`);
    }
    list.addSubnet(address, prefix, type);
  }
  return list;
}

export class ProxyTrust {
  /** Hop count, or undefined when a list decides. 0: nothing trusted. */
  private readonly hops: number | undefined;
  private readonly list: BlockList | undefined;

  constructor(trust: TrustProxy | undefined) {
    if (trust === undefined || trust === false) {
      this.hops = 0;
    } else if (typeof trust === 'number') {
      if (!Number.isInteger(trust) || trust < 0) {
        throw new TypeError(`trustProxy must be a hop count (a non-negative integer), a list of proxy addresses, or false; got ${trust}`);
      }
      this.hops = trust;
    } else if (Array.isArray(trust)) {
      this.hops = undefined;
      this.list = compileList(trust);
    } else {
      throw new TypeError(
        `trustProxy must be a hop count (e.g. 1 for one proxy), a list of proxy addresses, or false; got ${String(trust)}` +
          ' (true is not accepted: it would believe a header any client can send)',
      );
    }
  }

  /** True when X-Forwarded-For is ever read. */
  get enabled(): boolean {
    return this.hops !== 0;
  }

  /**
   * The client's address for this upgrade request: from X-Forwarded-For when the hops in front
   * are trusted, else (and for an absent or malformed header) the socket's peer.
   */
  clientAddress(request: IncomingMessage): string | undefined {
    const peer = request.socket.remoteAddress;
    if (this.hops === 0 || peer === undefined) return peer;
    const header = request.headers['x-forwarded-for'];
    // Node joins repeated X-Forwarded-For headers with ', ' in arrival order: one list either way.
    if (typeof header !== 'string' || header.length === 0) return peer;
    const entries = header.split(',');
    if (this.hops !== undefined) {
      if (entries.length < this.hops) return peer;
      return parseEntry(entries[entries.length - this.hops]!) ?? peer;
    }
    const list = this.list!;
    if (!this.isTrusted(list, unmapped(peer))) return peer;
    let address: string | undefined;
    for (let i = entries.length - 1; i >= 0; i--) {
      address = parseEntry(entries[i]!);
      if (address === undefined) return peer;
      if (!this.isTrusted(list, address)) return address;
    }
    return address ?? peer;
  }

  private isTrusted(list: BlockList, address: string): boolean {
    return list.check(address, isIPv4(address) ? 'ipv4' : 'ipv6');
  }
}

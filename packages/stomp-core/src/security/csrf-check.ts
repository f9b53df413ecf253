import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { StompHeaders } from '../codec/stomp-frame.js';
import { StompErrorCode } from '../errors/error-codes.js';
import { StompError } from '../errors/stomp.error.js';

/**
 * CSRF check on CONNECT (server option `csrf`), for browser sessions that authenticate with
 * cookies. Default: the double-submit cookie (Angular's names): the CONNECT must carry header
 * `X-XSRF-TOKEN` equal to the `XSRF-TOKEN` cookie of the upgrade request. A page of another site
 * can make the browser send our cookies with its WebSocket handshake, but cannot read them to
 * put the token in its CONNECT.
 */
export interface CsrfOptions {
  /** Cookie holding the token. Default 'XSRF-TOKEN'. */
  cookieName?: string;
  /** CONNECT header that must repeat it. Default 'X-XSRF-TOKEN'. */
  headerName?: string;
  /** Replaces the cookie comparison: true when `token` (the CONNECT header) is valid for this request. */
  verify?: (token: string | undefined, request: IncomingMessage) => boolean;
}

function csrfRefused(): StompError {
  return new StompError(StompErrorCode.ACCESS_DENIED, 'Invalid CSRF token');
}

/** Value of cookie `name` in a Cookie header (RFC 6265 pairs separated by ';'). */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=');
    if (eq < 0 || pair.slice(0, eq).trim() !== name) continue;
    const value = pair.slice(eq + 1).trim();
    try {
      return decodeURIComponent(value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value);
    } catch {
      return value;
    }
  }
  return undefined;
}

function sameToken(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export class CsrfCheck {
  private readonly cookieName: string;
  private readonly headerName: string;

  constructor(private readonly options: CsrfOptions) {
    this.cookieName = options.cookieName ?? 'XSRF-TOKEN';
    this.headerName = options.headerName ?? 'X-XSRF-TOKEN';
  }

  /**
   * Throws ACCESS_DENIED ('Invalid CSRF token') unless the CONNECT carries a valid token. Only
   * WebSocket handshakes that carried cookies are checked: without cookies (TCP, most non-browser
   * clients) there are no ambient credentials to abuse.
   */
  check(headers: StompHeaders, request: IncomingMessage | undefined): void {
    if (request === undefined || request.headers.cookie === undefined) return;
    const token = headers[this.headerName];
    if (this.options.verify !== undefined) {
      let ok = false;
      try {
        ok = this.options.verify(token, request) === true;
      } catch {
        ok = false;
      }
      if (!ok) throw csrfRefused();
      return;
    }
    const expected = readCookie(request.headers.cookie, this.cookieName);
    if (token === undefined || expected === undefined || expected.length === 0 || !sameToken(token, expected)) throw csrfRefused();
  }
}

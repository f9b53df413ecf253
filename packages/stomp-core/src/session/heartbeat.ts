import { StompProtocolError } from '../errors/stomp-protocol.error.js';
import { StompErrorCode } from '../errors/error-codes.js';

/** Parses a `heart-beat` header value "<x>,<y>" (STOMP 1.1 "Heart-beating"); missing means 0,0. */
export function parseHeartbeat(value: string | undefined): [number, number] {
  if (value === undefined) return [0, 0];
  const comma = value.indexOf(',');
  const x = comma > 0 ? toMillis(value.slice(0, comma)) : -1;
  const y = comma > 0 ? toMillis(value.slice(comma + 1)) : -1;
  if (x < 0 || y < 0) {
    throw new StompProtocolError(StompErrorCode.INVALID_HEADER, `Invalid heart-beat header: ${value}`);
  }
  return [x, y];
}

function toMillis(text: string): number {
  if (text.length === 0 || text.length > 10) return -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return -1;
  }
  return Number(text);
}

/**
 * The negotiated intervals. STOMP 1.1: the client sends every max(cx, sy) unless either is 0;
 * the server sends every max(sx, cy) unless either is 0.
 */
export function negotiateHeartbeat(
  client: [number, number],
  server: [number, number],
): { sendEvery: number; expectEvery: number } {
  const [cx, cy] = client;
  const [sx, sy] = server;
  return {
    sendEvery: sx > 0 && cy > 0 ? Math.max(sx, cy) : 0,
    expectEvery: cx > 0 && sy > 0 ? Math.max(cx, sy) : 0,
  };
}

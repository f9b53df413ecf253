import type { StompHeaders } from '@nest-stomp/core';
import { writePayload } from './payload-converter.js';
import { StompRecord, type StompMessageHeaders } from './stomp-record.js';

/** A message ready for the broker: converted body plus its headers (`content-type` included). */
export interface OutboundMessage {
  body: Buffer;
  headers: StompHeaders;
}

/**
 * Headers the server sets or that steer a frame: a message from the application may not carry
 * them (a `message-id` or `subscription` of its own would contradict the server's, and
 * `destination` is an argument, not a header).
 */
const RESERVED_HEADERS = new Set([
  'destination',
  'content-length',
  'message-id',
  'subscription',
  'ack',
  'receipt',
  'transaction',
]);

/**
 * The one outbound conversion, shared by handler return values, exception-filter replies and the
 * messaging template: a StompRecord gives its payload and headers, anything else is the payload.
 * Headers apply in this order, later winning: the converter's `content-type`, the record's,
 * then `headers`. Throws TypeError for a payload or header that cannot be sent.
 */
export function toOutboundMessage(value: unknown, headers?: StompMessageHeaders): OutboundMessage {
  const record = value instanceof StompRecord ? value : undefined;
  const payload: unknown = record ? record.payload : value;
  if (payload === undefined || payload === null) {
    throw new TypeError('A message needs a payload (got ' + String(payload) + ')');
  }
  const { body, contentType } = writePayload(payload);
  const out: StompHeaders = { 'content-type': contentType };
  if (record) copyHeaders(record.headers, out);
  if (headers) copyHeaders(headers, out);
  return { body, headers: out };
}

function copyHeaders(from: StompMessageHeaders, to: StompHeaders): void {
  for (const name of Object.keys(from)) {
    const value = from[name];
    if (value === undefined) continue;
    if (name.length === 0) throw new TypeError('A message header needs a name');
    if (RESERVED_HEADERS.has(name)) throw new TypeError(`Header '${name}' is set by the server; a message may not carry it`);
    const type = typeof value;
    if (type !== 'string' && type !== 'number' && type !== 'boolean') {
      throw new TypeError(`Header '${name}' must be a string, number or boolean (got ${value === null ? 'null' : type})`);
    }
    if (name === '__proto__') Object.defineProperty(to, name, { value: String(value), enumerable: true, writable: true });
    else to[name] = String(value);
  }
}

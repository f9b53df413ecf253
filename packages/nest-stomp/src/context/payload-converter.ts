import { StompException } from '../exceptions/stomp.exception.js';

/** The media type of a `content-type` header: lower-cased, parameters dropped. */
function mediaType(contentType: string): string {
  const semicolon = contentType.indexOf(';');
  return (semicolon === -1 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase();
}

function isJson(type: string): boolean {
  return type === 'application/json' || type.endsWith('+json');
}

/** The charset parameter, as a Buffer encoding we can decode (utf-8 for anything else). */
function textEncoding(contentType: string): BufferEncoding {
  const match = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(contentType);
  const charset = match?.[1]?.toLowerCase();
  if (charset === 'iso-8859-1' || charset === 'latin1' || charset === 'us-ascii' || charset === 'ascii') return 'latin1';
  return 'utf8';
}

/**
 * Inbound conversion (Spring's message converters, by content-type): JSON when the type says so or
 * when there is no content-type (JSON is the default format of STOMP applications), text for
 * `text/*`, the bytes otherwise. An empty body is `undefined`.
 */
export function readPayload(body: Buffer, contentType: string | undefined): unknown {
  if (contentType === undefined || isJson(mediaType(contentType))) {
    if (body.length === 0) return undefined;
    try {
      return JSON.parse(body.toString('utf8')) as unknown;
    } catch {
      throw new StompException(
        contentType === undefined
          ? 'Payload is not valid JSON (a message without content-type is read as JSON; send text with content-type: text/plain)'
          : 'Payload is not valid JSON',
      );
    }
  }
  if (mediaType(contentType).startsWith('text/')) return body.toString(textEncoding(contentType));
  return body;
}

/** An outbound payload: bytes plus the content-type that says how to read them. */
export interface WritablePayload {
  body: Buffer;
  contentType: string;
}

export const JSON_CONTENT_TYPE = 'application/json';
export const TEXT_CONTENT_TYPE = 'text/plain;charset=utf-8';
export const BYTES_CONTENT_TYPE = 'application/octet-stream';

/**
 * Outbound conversion of a handler's return value: bytes as they are, strings as UTF-8 text,
 * everything else as JSON. `undefined` and `null` mean "no message" and never get here.
 */
export function writePayload(value: unknown): WritablePayload {
  if (Buffer.isBuffer(value)) return { body: value, contentType: BYTES_CONTENT_TYPE };
  if (value instanceof Uint8Array) {
    return { body: Buffer.from(value.buffer, value.byteOffset, value.byteLength), contentType: BYTES_CONTENT_TYPE };
  }
  if (typeof value === 'string') return { body: Buffer.from(value, 'utf8'), contentType: TEXT_CONTENT_TYPE };
  const json = JSON.stringify(value);
  // JSON.stringify gives undefined for functions and symbols: a handler bug, not an empty message.
  if (json === undefined) throw new TypeError(`Cannot convert a ${typeof value} return value to a message payload`);
  return { body: Buffer.from(json, 'utf8'), contentType: JSON_CONTENT_TYPE };
}

import type { BrokerMessage } from '../broker/message-broker.js';
import { escapeFlavour, escapeHeader, versionFlavour, type EscapeFlavour } from './header-escaping.js';
import type { StompHeaders, StompVersion } from './stomp-frame.js';

/** A heart-beat: one EOL (STOMP 1.1 "Heart-beating"). Shared; never write into it. */
export const HEARTBEAT_EOL: Buffer = Buffer.from('\n');

/**
 * Commands that always carry `content-length`, even for an empty body: they are the frames that
 * may have a body (STOMP 1.2: SEND, MESSAGE, ERROR "SHOULD include a content-length header"),
 * and an explicit `content-length:0` lets the peer skip the NUL scan.
 */
function alwaysHasLength(command: string): boolean {
  return command === 'SEND' || command === 'MESSAGE' || command === 'ERROR';
}

/** `name:value\n` for every header except content-length (recomputed by the caller), in the given order. */
function headerLines(headers: StompHeaders, flavour: EscapeFlavour, skipDestination: boolean): string {
  let out = '';
  for (const name of Object.keys(headers)) {
    if (name === 'content-length' || name === '' || (skipDestination && name === 'destination')) continue; // an empty name cannot be decoded
    const value = headers[name];
    if (value === undefined) continue;
    out += `${escapeHeader(name, true, flavour)}:${escapeHeader(String(value), false, flavour)}\n`;
  }
  return out;
}

/** Writes head (a string), then body, then the frame's NUL, into one new Buffer. */
function assemble(head: string, body: Buffer | string | undefined, bodyLength: number): Buffer {
  const headLength = Buffer.byteLength(head);
  const out = Buffer.allocUnsafe(headLength + bodyLength + 1);
  out.write(head, 0, 'utf8');
  if (bodyLength > 0) {
    if (typeof body === 'string') out.write(body, headLength, 'utf8');
    else body!.copy(out, headLength);
  }
  out[headLength + bodyLength] = 0;
  return out;
}

/**
 * Encodes one frame. Header names and values are escaped for `version` (none for 1.0 and for
 * CONNECT/STOMP/CONNECTED); what a flavour cannot carry is replaced (see escapeHeader), so the
 * result always decodes. `content-length` is computed from the body (any given one is dropped):
 * present whenever the body is non-empty, and always (`content-length:0` too) on SEND/MESSAGE/ERROR.
 * Headers keep their order; a header with an empty name or an undefined value is skipped.
 */
export function encodeFrame(
  command: string,
  headers: StompHeaders,
  body: Buffer | string | undefined,
  version: StompVersion,
): Buffer {
  const flavour = escapeFlavour(command, version);
  const bodyLength = body === undefined ? 0 : typeof body === 'string' ? Buffer.byteLength(body) : body.length;
  let head = `${command}\n${headerLines(headers, flavour, false)}`;
  if (bodyLength > 0 || alwaysHasLength(command)) head += `content-length:${bodyLength}\n`;
  return assemble(`${head}\n`, body, bodyLength);
}

/**
 * The part of a MESSAGE frame shared by all its deliveries: `destination` (`deliveredAs` when set), the message's headers
 * (its own `destination` and `content-length` are replaced), `content-length`, the blank line,
 * the body and the NUL. Encoded once per escaping flavour and cached in message.encoded[0|1|2].
 */
export function messageTail(message: BrokerMessage, version: StompVersion): Buffer {
  const flavour = versionFlavour(version);
  // Exactly three slots: an empty array given index 2 would get room for 17.
  const cache = (message.encoded ??= [undefined, undefined, undefined]);
  const cached = cache[flavour];
  if (cached !== undefined) return cached;
  const tail = Buffer.allocUnsafe(prepareMessageTail(message, version));
  writeMessageTail(tail, 0, message.body);
  cache[flavour] = tail;
  return tail;
}

/** The tail messageTail() cached for this version, if any (nothing is encoded). */
export function cachedMessageTail(message: BrokerMessage, version: StompVersion): Buffer | undefined {
  return message.encoded?.[versionFlavour(version)];
}

// The parts prepareMessageTail() worked out for the writeMessageTail() call that follows it.
let preparedDestination: Buffer = Buffer.alloc(0);
let preparedHeaders: Buffer = preparedDestination;
let preparedDigits = 1;

/**
 * The length of messageTail(message, version), readying writeMessageTail() to write those bytes:
 * a message that goes to one subscriber only (a queue's) is written straight into the session's
 * output, with no tail Buffer made and kept on the message. Call the two as a pair, with no other
 * encoder call between them.
 */
export function prepareMessageTail(message: BrokerMessage, version: StompVersion): number {
  const flavour = versionFlavour(version);
  // A user-destination message shows what the client subscribed to (`/user/queue/x`).
  preparedDestination = destinationLine(message.deliveredAs ?? message.destination, flavour);
  preparedHeaders = userHeaderLines(message.headers, flavour);
  const bodyLength = message.body.length;
  preparedDigits = digitCount(bodyLength);
  return preparedDestination.length + preparedHeaders.length + CONTENT_LENGTH.length + preparedDigits + 2 + bodyLength + 1;
}

/** Writes the tail prepareMessageTail() measured (`body` is that message's) at out[at...]; returns the end. */
export function writeMessageTail(out: Uint8Array, at: number, body: Uint8Array): number {
  const destination = preparedDestination;
  const headers = preparedHeaders;
  out.set(destination, at);
  let o = at + destination.length;
  if (headers.length > 0) {
    out.set(headers, o);
    o += headers.length;
  }
  for (let i = 0; i < CONTENT_LENGTH.length; i++) out[o++] = CONTENT_LENGTH[i]!;
  o = writeDigits(out, o, body.length, preparedDigits);
  out[o++] = 10;
  out[o++] = 10;
  out.set(body, o);
  o += body.length;
  out[o++] = 0;
  return o;
}

const CONTENT_LENGTH = Buffer.from('content-length:');
const hasOwn = Object.prototype.hasOwnProperty;

// The user headers of the last message encoded (names and values in order, their flavour and their
// bytes): a producer mostly sends the same few headers (`content-type`), so consecutive messages
// reuse the bytes instead of escaping and encoding them again. Values the decoder gives out for a
// repeated header are the same strings, so the comparison is mostly by reference.
const lastHeaderNames: string[] = [];
const lastHeaderValues: string[] = [];
let lastHeadersFlavour: EscapeFlavour = 2;
let lastHeaderBytes: Buffer = Buffer.alloc(0);

/** headerLines(headers, flavour, true) as bytes (never written into: shared by consecutive calls). */
function userHeaderLines(headers: StompHeaders, flavour: EscapeFlavour): Buffer {
  let count = 0;
  let same = flavour === lastHeadersFlavour;
  // Own enumerable names in Object.keys order, without making the keys array.
  for (const name in headers) {
    if (!hasOwn.call(headers, name) || name === 'content-length' || name === '' || name === 'destination') continue;
    const value = headers[name];
    if (value === undefined) continue;
    if (count >= lastHeaderNames.length || lastHeaderNames[count] !== name || lastHeaderValues[count] !== value) {
      same = false;
      break;
    }
    count++;
  }
  if (same && count === lastHeaderNames.length) return lastHeaderBytes;
  lastHeaderNames.length = 0;
  lastHeaderValues.length = 0;
  for (const name of Object.keys(headers)) {
    if (name === 'content-length' || name === '' || name === 'destination') continue;
    const value = headers[name];
    if (value === undefined) continue;
    lastHeaderNames.push(name);
    lastHeaderValues.push(value);
  }
  lastHeadersFlavour = flavour;
  lastHeaderBytes = Buffer.from(headerLines(headers, flavour, true));
  return lastHeaderBytes;
}

// The last `destination` line encoded: consecutive messages mostly go to the same destination
// (the decoder hands out the same string for a repeated one), so its escaping and UTF-8 encoding
// are done once, not per message.
let lastDestination: string | undefined;
let lastDestinationFlavour: EscapeFlavour = 2;
let lastDestinationLine: Buffer = Buffer.alloc(0);

/** `destination:<escaped>\n` as bytes (never written into: shared by consecutive calls). */
function destinationLine(destination: string, flavour: EscapeFlavour): Buffer {
  if (destination !== lastDestination || flavour !== lastDestinationFlavour) {
    lastDestinationLine = Buffer.from(`destination:${escapeHeader(destination, false, flavour)}\n`);
    lastDestination = destination;
    lastDestinationFlavour = flavour;
  }
  return lastDestinationLine;
}

/**
 * The per-delivery start of a MESSAGE frame: command, `subscription`, `message-id`, `ack` (when
 * given) and `extra` headers. Followed by messageTail(), it makes one complete frame; since the
 * head comes first, its headers win over same-named headers of the message (STOMP 1.2: first wins).
 */
export function messageHead(
  subscription: string,
  messageId: string,
  ack: string | undefined,
  version: StompVersion,
  extra?: StompHeaders,
): Buffer {
  const flavour = versionFlavour(version);
  let head = `MESSAGE\nsubscription:${escapeHeader(subscription, false, flavour)}\nmessage-id:${escapeHeader(messageId, false, flavour)}\n`;
  if (ack !== undefined) head += `ack:${escapeHeader(ack, false, flavour)}\n`;
  if (extra !== undefined) head += headerLines(extra, flavour, false);
  return Buffer.from(head);
}

/** `MESSAGE` + the `subscription` line: the fixed start of every MESSAGE to one subscription. */
export function subscriptionHead(subscription: string, version: StompVersion): Buffer {
  return Buffer.from(`MESSAGE\nsubscription:${escapeHeader(subscription, false, versionFlavour(version))}\n`);
}

/**
 * The `message-id` line of a message's shared id (`message.id`), cached on the message. The id is
 * broker-made ('m' and digits), so it reads the same in every escaping flavour.
 */
export function messageIdLine(message: BrokerMessage & { id: string }): Buffer {
  return (message.idLine ??= Buffer.from(`message-id:${message.id}\n`));
}

/**
 * The per-delivery lines after subscriptionHead(): `message-id`, `ack` when the subscription acks,
 * `redelivered:true` when the message came back.
 */
export function deliveryLines(messageId: string, ack: string | undefined, redelivered: boolean, version: StompVersion): Buffer {
  // Broker-made ids (digits) need no escaping and are ASCII: bytes written straight into one
  // buffer, without a template string and its UTF-8 encode (one of these per acked delivery).
  if (!redelivered && (ack === undefined || ack === messageId) && isPlainAscii(messageId)) {
    return plainDeliveryLines(messageId, ack !== undefined);
  }
  const flavour = versionFlavour(version);
  let lines = `message-id:${escapeHeader(messageId, false, flavour)}\n`;
  if (ack !== undefined) lines += `ack:${escapeHeader(ack, false, flavour)}\n`;
  if (redelivered) lines += 'redelivered:true\n';
  return Buffer.from(lines);
}

const MESSAGE_ID = Buffer.from('message-id:');
const ACK = Buffer.from('ack:');

/** Printable ASCII without ':' and '\\': reads the same in every escaping flavour. */
function isPlainAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c > 0x7e || c === 0x3a || c === 0x5c) return false;
  }
  return true;
}

/** `message-id:<id>\n` and, when `withAck`, `ack:<id>\n`, for an id isPlainAscii() accepted. */
function plainDeliveryLines(id: string, withAck: boolean): Buffer {
  const n = id.length;
  const out = Buffer.allocUnsafe(MESSAGE_ID.length + n + 1 + (withAck ? ACK.length + n + 1 : 0));
  // Byte loops: for a dozen bytes they cost less than Buffer#copy's native call.
  let o = 0;
  for (let i = 0; i < MESSAGE_ID.length; i++) out[o++] = MESSAGE_ID[i]!;
  for (let i = 0; i < n; i++) out[o++] = id.charCodeAt(i);
  out[o++] = 10;
  if (withAck) {
    for (let i = 0; i < ACK.length; i++) out[o++] = ACK[i]!;
    for (let i = 0; i < n; i++) out[o++] = id.charCodeAt(i);
    out[o] = 10;
  }
  return out;
}

/** Decimal digits of a non-negative integer below 2^53. */
function digitCount(n: number): number {
  let count = 1;
  while (n >= 10) {
    n = Math.floor(n / 10);
    count++;
  }
  return count;
}

/** Writes the decimal digits of n (digitCount(n) of them) at out[at...]; returns the end. */
function writeDigits(out: Uint8Array, at: number, n: number, count: number): number {
  const end = at + count;
  for (let i = end - 1; i >= at; i--) {
    const rest = Math.floor(n / 10);
    out[i] = 0x30 + (n - rest * 10);
    n = rest;
  }
  return end;
}

/** Bytes writeSequenceLines() writes for `sequence`. */
export function sequenceLinesLength(sequence: number, withAck: boolean): number {
  const digits = digitCount(sequence);
  return MESSAGE_ID.length + digits + 1 + (withAck ? ACK.length + digits + 1 : 0);
}

/**
 * deliveryLines() for a broker-made id (a number whose decimal form is the id), written into
 * `out` at `at` (sequenceLinesLength() bytes; returns the end): `message-id:<n>\n` and, when
 * `withAck`, `ack:<n>\n`. Digits read the same in every escaping flavour.
 */
export function writeSequenceLines(out: Uint8Array, at: number, sequence: number, withAck: boolean): number {
  const digits = digitCount(sequence);
  let o = at;
  for (let i = 0; i < MESSAGE_ID.length; i++) out[o++] = MESSAGE_ID[i]!;
  o = writeDigits(out, o, sequence, digits);
  out[o++] = 10;
  if (withAck) {
    for (let i = 0; i < ACK.length; i++) out[o++] = ACK[i]!;
    o = writeDigits(out, o, sequence, digits);
    out[o++] = 10;
  }
  return o;
}

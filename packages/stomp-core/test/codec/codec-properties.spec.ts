import fc from 'fast-check';
import type { BrokerMessage } from '../../src/broker/message-broker.js';
import type { CodecLimits } from '../../src/codec/codec-limits.js';
import { encodeFrame, messageHead, messageTail } from '../../src/codec/stomp-encoder.js';
import { STOMP_VERSIONS, type StompHeaders, type StompVersion } from '../../src/codec/stomp-frame.js';
import { StompErrorCode } from '../../src/errors/error-codes.js';
import { StompLimitError } from '../../src/errors/stomp-limit.error.js';
import { StompProtocolError } from '../../src/errors/stomp-protocol.error.js';
import { bytewise, decodeChunks, splitAt, type DecodeRun } from './decoder-harness.js';

// ---- arbitraries -------------------------------------------------------------------------------

/** Characters that matter to STOMP framing and escaping, mixed with any Unicode code point. */
const tricky = fc.constantFrom(':', '\n', '\r', '\\', 'c', 'n', 'r', 't', ' ', '\t', 'é', '😀', '\u2028');
const anyCodePoint = fc.string({ unit: 'binary', minLength: 1, maxLength: 1 });
const char = fc.oneof(tricky, anyCodePoint).filter((c) => c !== '\0'); // STOMP has no way to carry NUL in a header

function textArb(forbid: (c: string) => boolean, minLength = 0) {
  return fc.string({ unit: char.filter((c) => !forbid(c)), minLength, maxLength: 12 });
}

/** Header names and values each version can carry exactly (the encoder documents the rest). */
function headerArb(version: StompVersion | 'raw') {
  const raw = version === 'raw' || version === '1.0';
  const name = fc.oneof(
    textArb((c) => raw && (c === ':' || c === '\r' || c === '\n'), 1),
    fc.constantFrom('__proto__', 'constructor', 'toString', 'destination', 'content-type'),
    // Names the decoder matches as constants, and near misses of them.
    fc.constantFrom('id', 'ack', 'message-id', 'subscription', 'receipt', 'transaction', 'Id', 'i', 'ids', 'destinatio', 'message-idx'),
  );
  // 1.1 writes CR raw; a value-final CR would read as the CR of a CRLF EOL.
  const value = textArb((c) => raw && (c === '\r' || c === '\n')).filter((v) => version !== '1.1' || !v.endsWith('\r'));
  return fc
    .uniqueArray(fc.tuple(name, value), { selector: ([n]) => n, maxLength: 8 })
    .map((pairs) => Object.fromEntries(pairs.filter(([n]) => n !== 'content-length')) as StompHeaders);
}

const bodyArb = fc.oneof(
  fc.uint8Array({ maxLength: 300 }),
  fc.array(fc.constantFrom(0, 10, 13, 58, 92), { maxLength: 20 }).map((bytes) => Uint8Array.from(bytes)),
);

/** Up to 6 sorted split points inside a buffer of length n. */
const splitsArb = fc.array(fc.nat(), { maxLength: 6 });
function splitPoints(raw: number[], n: number): number[] {
  return raw.map((p) => (n === 0 ? 0 : p % (n + 1))).sort((a, b) => a - b);
}

const ESCAPING_COMMANDS = ['SEND', 'MESSAGE', 'ERROR', 'SUBSCRIBE', 'RECEIPT', 'ACK'] as const;
const RAW_COMMANDS = ['CONNECT', 'STOMP', 'CONNECTED'] as const;

function expectedHeaders(command: string, headers: StompHeaders, bodyLength: number): Record<string, string> {
  const out: Record<string, string> = Object.fromEntries(Object.entries(headers));
  if (bodyLength > 0 || command === 'SEND' || command === 'MESSAGE' || command === 'ERROR') out['content-length'] = String(bodyLength);
  return out;
}

function singleFrame(run: DecodeRun) {
  expect(run.errors).toEqual([]);
  expect(run.frames).toHaveLength(1);
  const frame = run.frames[0]!;
  return { command: frame.command, headers: { ...frame.headers }, body: Buffer.from(frame.body) };
}

// ---- round trips -------------------------------------------------------------------------------

describe.each(STOMP_VERSIONS)('encode → decode round trip, STOMP %s', (version) => {
  it('restores command, headers and body, however the bytes are split', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ESCAPING_COMMANDS), headerArb(version), bodyArb, splitsArb, (command, headers, body, splits) => {
        const bytes = encodeFrame(command, headers, Buffer.from(body), version);
        const expected = { command, headers: expectedHeaders(command, headers, body.length), body: Buffer.from(body) };
        expect(singleFrame(decodeChunks([bytes], version))).toEqual(expected);
        expect(singleFrame(decodeChunks(splitAt(bytes, splitPoints(splits, bytes.length)), version))).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('CONNECT/STOMP/CONNECTED round trip without escaping', () => {
    fc.assert(
      fc.property(fc.constantFrom(...RAW_COMMANDS), headerArb('raw'), (command, headers) => {
        const bytes = encodeFrame(command, headers, undefined, version);
        expect(singleFrame(decodeChunks(bytewise(bytes), version))).toEqual({
          command,
          headers: expectedHeaders(command, headers, 0),
          body: Buffer.alloc(0),
        });
      }),
    );
  });

  it('messageHead + messageTail decode to the delivered MESSAGE', () => {
    fc.assert(
      fc.property(headerArb(version), bodyArb, textArb(() => false), textArb(() => false), (headers, body, sub, id) => {
        const message: BrokerMessage = { destination: '/topic/t', headers, body: Buffer.from(body) };
        const bytes = Buffer.concat([messageHead(sub, id, id, version), messageTail(message, version)]);
        const frame = singleFrame(decodeChunks([bytes], version));
        expect(frame.body).toEqual(Buffer.from(body));
        expect(frame.headers['content-length']).toBe(String(body.length));
        // What the flavour carries exactly (see escapeHeader for the documented replacements).
        const carried = (s: string) =>
          version === '1.2' || (version === '1.1' ? !s.endsWith('\r') : !s.includes('\r') && !s.includes('\n'));
        if (carried(sub)) expect(frame.headers.subscription).toBe(sub);
        if (carried(id)) expect(frame.headers['message-id']).toBe(id);
        expect(frame.headers.ack).toBe(frame.headers['message-id']);
        expect(frame.headers.destination).toBe('/topic/t');
      }),
    );
  });

  it('always emits a frame that decodes, whatever the headers (incl. NUL, empty names, CR, LF)', () => {
    const anyText = fc.string({ unit: fc.oneof(tricky, anyCodePoint, fc.constant('\0')), maxLength: 10 });
    fc.assert(
      fc.property(
        fc.constantFrom(...ESCAPING_COMMANDS, ...RAW_COMMANDS),
        fc.array(fc.tuple(anyText, anyText), { maxLength: 8 }),
        bodyArb,
        (command, pairs, body) => {
          const bytes = encodeFrame(command, Object.fromEntries(pairs), Buffer.from(body), version);
          const frame = singleFrame(decodeChunks([bytes], version));
          expect(frame.command).toBe(command);
          expect(frame.body).toEqual(Buffer.from(body));
        },
      ),
    );
  });
});

// ---- garbage -----------------------------------------------------------------------------------

const FRAMING_CODES: string[] = [
  StompErrorCode.MALFORMED_FRAME,
  StompErrorCode.INVALID_ESCAPE,
  StompErrorCode.FRAME_TOO_LARGE,
  StompErrorCode.TOO_MANY_HEADERS,
  StompErrorCode.HEADER_TOO_LONG,
];

const token = fc.constantFrom(
  'SEND', 'CONNECT', 'MESSAGE', '\n', '\r\n', '\r', '\0', ':', '\\', '\\c', '\\n', '\\r', '\\t',
  'content-length:', 'content-length:3', '3', '-1', 'destination:/a', 'x', '\n\n',
);
const garbageArb = fc
  .array(fc.oneof(token.map((t) => Buffer.from(t)), fc.uint8Array({ maxLength: 24 }).map((b) => Buffer.from(b))), { maxLength: 40 })
  .map((parts) => Buffer.concat(parts));
const limitsArb = fc.option(
  fc.record({ maxFrameSize: fc.integer({ min: 1, max: 300 }), maxHeaders: fc.integer({ min: 0, max: 4 }), maxHeaderLength: fc.integer({ min: 1, max: 40 }) }),
  { nil: undefined },
);

function checkOutcome(run: DecodeRun): void {
  expect(run.errors.length).toBeLessThanOrEqual(1);
  if (run.errors.length === 1) {
    const error = run.errors[0]!;
    expect(FRAMING_CODES).toContain(error.code);
    const limit = error.code === StompErrorCode.MALFORMED_FRAME || error.code === StompErrorCode.INVALID_ESCAPE ? StompProtocolError : StompLimitError;
    expect(error).toBeInstanceOf(limit);
    expect(error.message.length).toBeGreaterThan(0);
    expect(run.events[run.events.length - 1]!.type).toBe('error'); // nothing after the error
    expect(run.decoder.failed).toBe(true);
    expect(run.decoder.bufferedBytes).toBe(0);
  }
}

describe('garbage input', () => {
  it('never throws or hangs; ends with frames and/or exactly one typed error; splitting changes nothing before it', () => {
    fc.assert(
      fc.property(garbageArb, fc.constantFrom(...STOMP_VERSIONS), limitsArb, splitsArb, (bytes, version, limits, splits) => {
        const limitsOrDefault: Partial<CodecLimits> | undefined = limits ?? undefined;
        const whole = decodeChunks([bytes], version, limitsOrDefault);
        const split = decodeChunks(splitAt(bytes, splitPoints(splits, bytes.length)), version, limitsOrDefault);
        const single = decodeChunks(bytewise(bytes), version, limitsOrDefault);
        for (const run of [whole, split, single]) checkOutcome(run);
        // The reports before the error (or all of them) do not depend on chunk boundaries.
        const beforeError = (run: DecodeRun) => run.events.filter((e) => e.type !== 'error');
        expect(beforeError(split)).toEqual(beforeError(whole));
        expect(beforeError(single)).toEqual(beforeError(whole));
        expect(split.errors.length).toBe(whole.errors.length);
        expect(single.errors.length).toBe(whole.errors.length);
      }),
      { numRuns: 500 },
    );
  });

  it('stays bounded on long random input', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1000, maxLength: 20000 }), limitsArb, (bytes, limits) => {
        const run = decodeChunks([Buffer.from(bytes)], '1.2', limits);
        checkOutcome(run);
        expect(run.decoder.bufferedBytes).toBeLessThanOrEqual(limits?.maxFrameSize ?? 65536);
      }),
      { numRuns: 50 },
    );
  });
});

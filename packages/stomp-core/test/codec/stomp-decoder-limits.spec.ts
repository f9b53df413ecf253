import { DEFAULT_CODEC_LIMITS } from '../../src/codec/codec-limits.js';
import { StompErrorCode } from '../../src/errors/error-codes.js';
import { StompLimitError } from '../../src/errors/stomp-limit.error.js';
import { bytewise, createRun, decodeChunks } from './decoder-harness.js';

const { FRAME_TOO_LARGE, TOO_MANY_HEADERS, HEADER_TOO_LONG } = StompErrorCode;

/** A SEND with content-length whose frame size (command through last body byte) is exactly `size`. */
function sizedWithLength(size: number): string {
  for (let bodyLength = size; bodyLength >= 0; bodyLength--) {
    const head = `SEND\ncontent-length:${bodyLength}\n\n`;
    if (head.length + bodyLength === size) return `${head}${'x'.repeat(bodyLength)}\0`;
  }
  throw new Error(`no frame of size ${size}`);
}

/** A SEND without content-length of frame size `size` (the NUL is not counted). */
function sizedWithoutLength(size: number): string {
  return `SEND\n\n${'x'.repeat(size - 6)}\0`;
}

function codes(run: { errors: { code: string }[] }): string[] {
  return run.errors.map((e) => e.code);
}

describe('maxFrameSize', () => {
  const limits = { maxFrameSize: 200 };

  it.each([199, 200])('accepts a frame of %i bytes (limit 200) with content-length', (size) => {
    const run = decodeChunks([sizedWithLength(size)], '1.2', limits);
    expect(codes(run)).toEqual([]);
    expect(run.frames).toHaveLength(1);
  });

  it.each([199, 200])('accepts a frame of %i bytes (limit 200) without content-length, even byte by byte', (size) => {
    const bytes = Buffer.from(sizedWithoutLength(size));
    expect(decodeChunks([bytes], '1.2', limits).frames).toHaveLength(1);
    const slow = decodeChunks(bytewise(bytes), '1.2', limits);
    expect(codes(slow)).toEqual([]);
    expect(slow.frames[0]!.body.length).toBe(size - 6);
  });

  it('refuses 201 bytes with content-length as soon as the header block is complete', () => {
    const frame = sizedWithLength(201);
    const headerBlock = frame.slice(0, frame.indexOf('\n\n') + 2);
    const run = decodeChunks([headerBlock], '1.2', limits);
    expect(codes(run)).toEqual([FRAME_TOO_LARGE]);
    expect(run.errors[0]).toBeInstanceOf(StompLimitError);
    expect(run.decoder.bufferedBytes).toBe(0);
  });

  it('refuses a huge content-length without waiting for its bytes', () => {
    const run = decodeChunks(['SEND\ncontent-length:999999999999999999999999\n\n'], '1.2', limits);
    expect(codes(run)).toEqual([FRAME_TOO_LARGE]);
  });

  it('refuses 201 bytes without content-length when byte 201 arrives, before any NUL', () => {
    const frame = Buffer.from(sizedWithoutLength(201));
    const run = createRun('1.2', limits);
    run.decoder.write(frame.subarray(0, 200));
    expect(codes(run)).toEqual([]);
    expect(run.decoder.bufferedBytes).toBe(194); // the body bytes held so far
    run.decoder.write(frame.subarray(200, 201));
    expect(codes(run)).toEqual([FRAME_TOO_LARGE]);
    expect(run.decoder.bufferedBytes).toBe(0);
  });

  it('refuses 201 bytes without content-length in one chunk', () => {
    expect(codes(decodeChunks([sizedWithoutLength(201)], '1.2', limits))).toEqual([FRAME_TOO_LARGE]);
  });

  it('counts header bytes: a frame made only of headers can be too large', () => {
    const headers = Array.from({ length: 12 }, (_, i) => `h${String(i).padStart(2, '0')}:${'v'.repeat(16)}\n`).join('');
    expect(headers.length).toBe(12 * 21);
    expect(codes(decodeChunks([`SEND\n${headers}\n\0`], '1.2', limits))).toEqual([FRAME_TOO_LARGE]);
    expect(codes(decodeChunks([`SEND\n${headers.slice(0, 21 * 9)}\n\0`], '1.2', limits))).toEqual([]);
  });

  it('uses 64 KiB by default: exactly 64 KiB passes, one more byte fails', () => {
    const max = DEFAULT_CODEC_LIMITS.maxFrameSize;
    expect(max).toBe(65536);
    expect(decodeChunks([sizedWithLength(max)]).frames).toHaveLength(1);
    expect(decodeChunks([sizedWithoutLength(max)]).frames).toHaveLength(1);
    expect(codes(decodeChunks([sizedWithLength(max + 1)]))).toEqual([FRAME_TOO_LARGE]);
    expect(codes(decodeChunks([sizedWithoutLength(max + 1)]))).toEqual([FRAME_TOO_LARGE]);
  });
});

describe('maxHeaders', () => {
  const limits = { maxHeaders: 3 };
  const frame = (count: number, name?: string) =>
    `SEND\n${Array.from({ length: count }, (_, i) => `${name ?? `h${i}`}:${i}\n`).join('')}\n\0`;

  it.each([2, 3])('accepts %i header lines (limit 3)', (count) => {
    const run = decodeChunks([frame(count)], '1.2', limits);
    expect(codes(run)).toEqual([]);
    expect(Object.keys(run.frames[0]!.headers)).toHaveLength(count);
  });

  it('refuses 4 header lines', () => {
    const run = decodeChunks([frame(4)], '1.2', limits);
    expect(codes(run)).toEqual([TOO_MANY_HEADERS]);
    expect(run.errors[0]).toBeInstanceOf(StompLimitError);
  });

  it('counts repeated headers', () => {
    expect(codes(decodeChunks([frame(3, 'same')], '1.2', limits))).toEqual([]);
    expect(codes(decodeChunks([frame(4, 'same')], '1.2', limits))).toEqual([TOO_MANY_HEADERS]);
  });

  it('defaults to 64', () => {
    expect(codes(decodeChunks([frame(64)]))).toEqual([]);
    expect(codes(decodeChunks([frame(65)]))).toEqual([TOO_MANY_HEADERS]);
  });
});

describe('maxHeaderLength', () => {
  const limits = { maxHeaderLength: 16 };
  const line = (length: number) => `k:${'v'.repeat(length - 2)}`;

  it.each([15, 16])('accepts a header line of %i bytes (limit 16), LF or CRLF', (length) => {
    expect(codes(decodeChunks([`SEND\n${line(length)}\n\n\0`], '1.2', limits))).toEqual([]);
    expect(codes(decodeChunks([`SEND\r\n${line(length)}\r\n\r\n\0`], '1.2', limits))).toEqual([]);
    expect(codes(decodeChunks(bytewise(Buffer.from(`SEND\r\n${line(length)}\r\n\r\n\0`)), '1.2', limits))).toEqual([]);
  });

  it('refuses a header line of 17 bytes', () => {
    const run = decodeChunks([`SEND\n${line(17)}\n\n\0`], '1.2', limits);
    expect(codes(run)).toEqual([HEADER_TOO_LONG]);
    expect(run.errors[0]).toBeInstanceOf(StompLimitError);
  });

  it('applies to the command line', () => {
    expect(codes(decodeChunks([`${'C'.repeat(16)}\n\n\0`], '1.2', limits))).toEqual([]);
    expect(codes(decodeChunks([`${'C'.repeat(17)}\n\n\0`], '1.2', limits))).toEqual([HEADER_TOO_LONG]);
    expect(codes(decodeChunks([`${'C'.repeat(17)}`], '1.2', limits))).toEqual([HEADER_TOO_LONG]);
  });

  it('detects a too long line before its EOL arrives', () => {
    const run = createRun('1.2', limits);
    run.decoder.write(Buffer.from(`SEND\n${line(16)}`));
    expect(codes(run)).toEqual([]);
    run.decoder.write(Buffer.from('\r')); // may still be the CR of a CRLF
    expect(codes(run)).toEqual([]);
    expect(run.decoder.bufferedBytes).toBe(17);
    run.decoder.write(Buffer.from('x'));
    expect(codes(run)).toEqual([HEADER_TOO_LONG]);

    const direct = decodeChunks([`SEND\n${line(17)}`], '1.2', limits);
    expect(codes(direct)).toEqual([HEADER_TOO_LONG]);
  });

  it('defaults to 8 KiB', () => {
    expect(codes(decodeChunks([`SEND\n${line(8192)}\n\n\0`]))).toEqual([]);
    expect(codes(decodeChunks([`SEND\n${line(8193)}\n\n\0`]))).toEqual([HEADER_TOO_LONG]);
  });
});

it('keeps the default for a limit given as undefined', () => {
  const run = decodeChunks([sizedWithoutLength(65537)], '1.2', { maxFrameSize: undefined, maxHeaders: 2 });
  expect(codes(run)).toEqual([FRAME_TOO_LARGE]);
});

describe('memory stays bounded', () => {
  const TEN_MB = 10 * 1024 * 1024;
  const piece = Buffer.alloc(64 * 1024, 'x'); // no NUL, no LF

  function feed(prefix: string): { maxBuffered: number; codes: string[]; after: number } {
    const run = createRun();
    run.decoder.write(Buffer.from(prefix));
    let maxBuffered = run.decoder.bufferedBytes;
    for (let fed = 0; fed < TEN_MB; fed += piece.length) {
      run.decoder.write(piece);
      maxBuffered = Math.max(maxBuffered, run.decoder.bufferedBytes);
    }
    return { maxBuffered, codes: codes(run), after: run.decoder.bufferedBytes };
  }

  it('an endless body without NUL is cut at maxFrameSize', () => {
    const result = feed('SEND\n\n');
    expect(result.codes).toEqual([FRAME_TOO_LARGE]);
    expect(result.maxBuffered).toBeLessThanOrEqual(DEFAULT_CODEC_LIMITS.maxFrameSize);
    expect(result.after).toBe(0);
  });

  it('an endless line without EOL is cut at maxHeaderLength', () => {
    const result = feed('');
    expect(result.codes).toEqual([HEADER_TOO_LONG]);
    expect(result.maxBuffered).toBeLessThanOrEqual(DEFAULT_CODEC_LIMITS.maxHeaderLength + 1);
  });

  it('a body split in small pieces never holds more than the limit', () => {
    const run = createRun('1.2', { maxFrameSize: 4096 });
    run.decoder.write(Buffer.from('SEND\n\n'));
    let maxBuffered = 0;
    for (let i = 0; i < 10_000 && !run.decoder.failed; i++) {
      run.decoder.write(piece.subarray(0, 7));
      maxBuffered = Math.max(maxBuffered, run.decoder.bufferedBytes);
    }
    expect(codes(run)).toEqual([FRAME_TOO_LARGE]);
    expect(maxBuffered).toBeLessThanOrEqual(4096);
  });
});

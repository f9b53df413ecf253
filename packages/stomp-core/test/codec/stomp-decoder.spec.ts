import { StompDecoder } from '../../src/codec/stomp-decoder.js';
import { StompErrorCode } from '../../src/errors/error-codes.js';
import { StompLimitError } from '../../src/errors/stomp-limit.error.js';
import { StompProtocolError } from '../../src/errors/stomp-protocol.error.js';
import { ALL_FIXTURES, type Fixture } from './decoder-fixtures.js';
import { bytewise, createRun, decodeChunks, splitAt, toBuffer } from './decoder-harness.js';

const named = (fixtures: Fixture[]) => fixtures.map((fixture) => [fixture.name, fixture] as const);

describe('StompDecoder fixtures (byte-exact)', () => {
  it.each(named(ALL_FIXTURES))('%s: one chunk', (_name, fixture) => {
    expect(decodeChunks([fixture.input], fixture.version).events).toEqual(fixture.expected);
  });

  it.each(named(ALL_FIXTURES))('%s: every split point [0,k) + [k,n) decodes identically', (_name, fixture) => {
    const bytes = toBuffer(fixture.input);
    for (let k = 0; k <= bytes.length; k++) {
      const events = decodeChunks(splitAt(bytes, [k]), fixture.version).events;
      if (JSON.stringify(events) !== JSON.stringify(fixture.expected)) {
        // Report the first failing split point in a readable way.
        expect({ k, events }).toEqual({ k, events: fixture.expected });
      }
    }
  });

  it.each(named(ALL_FIXTURES))('%s: one byte per write', (_name, fixture) => {
    expect(decodeChunks(bytewise(toBuffer(fixture.input)), fixture.version).events).toEqual(fixture.expected);
  });

  it('decodes all fixtures concatenated in one chunk and in three-way splits', () => {
    const valid = ALL_FIXTURES.filter((f) => !f.expected.some((e) => e.type === 'error') && (f.version ?? '1.2') === '1.2');
    const bytes = Buffer.concat(valid.map((f) => toBuffer(f.input)));
    const expected = valid.flatMap((f) => f.expected);
    expect(decodeChunks([bytes]).events).toEqual(expected);
    for (let k = 1; k < bytes.length; k += 7) {
      expect(decodeChunks(splitAt(bytes, [k, Math.min(bytes.length, k + 13)])).events).toEqual(expected);
    }
  });
});

describe('StompDecoder behaviour', () => {
  it('returns a zero-copy body when the frame lies in one chunk, and a copy across chunks', () => {
    const text = 'SEND\ncontent-length:3\n\nabc\0SEND\n\nxyz\0';
    const chunk = Buffer.alloc(text.length); // its own ArrayBuffer, not the shared allocation pool
    chunk.write(text, 'latin1');
    const run = decodeChunks([chunk]);
    expect(run.frames).toHaveLength(2);
    for (const frame of run.frames) {
      expect(frame.body.buffer).toBe(chunk.buffer);
      expect(frame.body.byteOffset).toBeGreaterThanOrEqual(chunk.byteOffset);
    }
    const split = decodeChunks([chunk.subarray(0, 25), chunk.subarray(25)]);
    expect(split.frames[0]!.body.toString()).toBe('abc');
    expect(split.frames[0]!.body.buffer).not.toBe(chunk.buffer);
  });

  it('builds header maps that never touch Object.prototype', () => {
    const run = decodeChunks(['SEND\n__proto__:polluted\nconstructor:c\n\n\0', 'SEND\n\n\0']);
    const [polluted, clean] = run.frames;
    expect(Object.getOwnPropertyDescriptor(polluted!.headers, '__proto__')?.value).toBe('polluted');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(clean!.headers.toString).toBeUndefined();
    expect(clean!.headers.constructor).toBeUndefined();
    expect(clean!.headers['__proto__']).toBeUndefined();
    expect(Object.keys(clean!.headers)).toEqual([]);
  });

  it('uses the version set between frames, even inside one chunk', () => {
    const events: string[] = [];
    const decoder: StompDecoder = new StompDecoder({
      onFrame: (frame) => {
        events.push(`${frame.command}:${frame.headers.v}`);
        if (frame.command === 'CONNECT') decoder.version = '1.0';
      },
      onHeartbeat: () => events.push('hb'),
      onError: (error) => events.push(error.code),
    });
    expect(decoder.version).toBe('1.2');
    decoder.write(Buffer.from('CONNECT\nv:a\\c\n\n\0SEND\nv:a\\c\n\n\0'));
    expect(events).toEqual(['CONNECT:a\\c', 'SEND:a\\c']);
    decoder.version = '1.2';
    decoder.write(Buffer.from('SEND\nv:a\\c\n\n\0'));
    expect(events).toEqual(['CONNECT:a\\c', 'SEND:a\\c', 'SEND:a:']);
  });

  it('reports exactly one typed error, then ignores all input', () => {
    const run = decodeChunks(['SEND\nno colon\n\n\0', 'SEND\n\n\0', '\n\n', 'garbage']);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toBeInstanceOf(StompProtocolError);
    expect(run.errors[0]!.code).toBe(StompErrorCode.MALFORMED_FRAME);
    expect(run.errors[0]!.message).toMatch(/:/);
    expect(run.frames).toHaveLength(0);
    expect(run.heartbeats).toBe(0);
    expect(run.decoder.failed).toBe(true);
    expect(run.decoder.bufferedBytes).toBe(0);
  });

  it('names the undefined escape in the error message', () => {
    const run = decodeChunks(['SEND\nkey:a\\tb\n\n\0']);
    expect(run.errors[0]).toBeInstanceOf(StompProtocolError);
    expect(run.errors[0]!.code).toBe(StompErrorCode.INVALID_ESCAPE);
    expect(run.errors[0]!.message).toContain('\\t');
  });

  it('is not failed while healthy and keeps a partial frame across writes', () => {
    const run = createRun();
    run.decoder.write(Buffer.from('SEND\ndest'));
    expect(run.decoder.failed).toBe(false);
    expect(run.decoder.bufferedBytes).toBe(4);
    run.decoder.write(Buffer.from('ination:/a\n\nbo'));
    expect(run.decoder.bufferedBytes).toBe(2);
    run.decoder.write(Buffer.from('dy\0'));
    expect(run.events).toEqual([{ type: 'frame', command: 'SEND', headers: { destination: '/a' }, body: 'body' }]);
    expect(run.decoder.bufferedBytes).toBe(0);
  });

  it('lets a handler exception propagate and keeps decoding later writes', () => {
    let calls = 0;
    const decoder = new StompDecoder({
      onFrame: () => {
        calls++;
        if (calls === 1) throw new Error('handler bug');
      },
      onHeartbeat: () => undefined,
      onError: () => undefined,
    });
    expect(() => decoder.write(Buffer.from('SEND\n\n\0'))).toThrow('handler bug');
    decoder.write(Buffer.from('SEND\n\n\0'));
    expect(calls).toBe(2);
    expect(decoder.failed).toBe(false);
  });

  it('reports limit errors as StompLimitError', () => {
    const run = decodeChunks(['SEND\n\n' + 'x'.repeat(70 * 1024)]);
    expect(run.errors[0]).toBeInstanceOf(StompLimitError);
    expect(run.errors[0]!.code).toBe(StompErrorCode.FRAME_TOO_LARGE);
  });
});

// Test harness (not a spec): runs a StompDecoder over chunks and records what it reports.
import type { CodecLimits } from '../../src/codec/codec-limits.js';
import { StompDecoder } from '../../src/codec/stomp-decoder.js';
import type { StompFrame, StompVersion } from '../../src/codec/stomp-frame.js';
import { StompError } from '../../src/errors/stomp.error.js';

/** One decoder report, in a comparable shape (body as latin1: one char per byte). */
export type DecodeEvent =
  | { type: 'frame'; command: string; headers: Record<string, string>; body: string }
  | { type: 'heartbeat' }
  | { type: 'error'; code: string; name: string };

export interface DecodeRun {
  events: DecodeEvent[];
  frames: StompFrame[];
  errors: StompError[];
  heartbeats: number;
  decoder: StompDecoder;
}

export function frameEvent(command: string, headers: Record<string, string>, body = ''): DecodeEvent {
  return { type: 'frame', command, headers, body };
}

export function createRun(version: StompVersion = '1.2', limits?: Partial<CodecLimits>): DecodeRun {
  const run = { events: [], frames: [], errors: [], heartbeats: 0 } as unknown as DecodeRun;
  run.decoder = new StompDecoder(
    {
      onFrame: (frame) => {
        run.frames.push(frame);
        // Spread copies own properties only (a "__proto__" header stays an own property).
        run.events.push(frameEvent(frame.command, { ...frame.headers }, frame.body.toString('latin1')));
      },
      onHeartbeat: () => {
        run.heartbeats++;
        run.events.push({ type: 'heartbeat' });
      },
      onError: (error) => {
        if (!(error instanceof StompError)) throw new Error('onError got a non-StompError');
        run.errors.push(error);
        run.events.push({ type: 'error', code: error.code, name: error.name });
      },
    },
    limits === undefined ? undefined : { limits },
  );
  run.decoder.version = version;
  return run;
}

export function toBuffer(input: string | Buffer): Buffer {
  return typeof input === 'string' ? Buffer.from(input, 'latin1') : input;
}

/** Decodes the given chunks, in order, with one decoder. */
export function decodeChunks(chunks: (string | Buffer)[], version: StompVersion = '1.2', limits?: Partial<CodecLimits>): DecodeRun {
  const run = createRun(version, limits);
  for (const chunk of chunks) run.decoder.write(toBuffer(chunk));
  return run;
}

/** Splits `bytes` at the given sorted positions. */
export function splitAt(bytes: Buffer, points: number[]): Buffer[] {
  const chunks: Buffer[] = [];
  let from = 0;
  for (const p of points) {
    chunks.push(bytes.subarray(from, p));
    from = p;
  }
  chunks.push(bytes.subarray(from));
  return chunks;
}

/** One byte per write. */
export function bytewise(bytes: Buffer): Buffer[] {
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i++) chunks.push(bytes.subarray(i, i + 1));
  return chunks;
}

/** UTF-8 bytes of a string (fixtures with non-latin1 text). */
export function utf8(text: string): Buffer {
  return Buffer.from(text, 'utf8');
}

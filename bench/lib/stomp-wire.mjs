// STOMP framing for the load generator: pre-built client frames and a streaming reader that hands
// out each frame as (buffer, start, nulIndex) without copying or decoding it to strings.
const NUL = 0;
const LF = 10;
const CR = 13;

/** Builds one client frame; `body` may be a string or Buffer. */
export function frame(command, headers = {}, body = '') {
  let head = command + '\n';
  for (const [name, value] of Object.entries(headers)) head += `${name}:${value}\n`;
  const bodyBuf = typeof body === 'string' ? Buffer.from(body) : body;
  return Buffer.concat([Buffer.from(head + '\n'), bodyBuf, Buffer.from([NUL])]);
}

export function connectFrame(host = '127.0.0.1', credentials = undefined) {
  // heart-beat 0,0: the bench measures message traffic, not heart-beats.
  return frame('CONNECT', { 'accept-version': '1.2', host, 'heart-beat': '0,0', ...credentials });
}

export function subscribeFrame(id, destination, ack, receipt, extra = {}) {
  return frame('SUBSCRIBE', { id, destination, ack, receipt, ...extra });
}

/**
 * Streaming frame reader. Calls onFrame(buf, start, nul) for every complete frame; `buf` is only
 * valid during the call. Heart-beat EOLs between frames are skipped. Bodies are assumed NUL-free
 * (true for all bench traffic), so the end of a frame is the next NUL byte.
 */
export class FrameReader {
  constructor(onFrame) {
    this.onFrame = onFrame;
    this.rest = null;
  }

  push(chunk) {
    let pos = 0;
    if (this.rest !== null) {
      // Complete the frame that straddles chunks by copying only its own bytes, not the chunk.
      const nul = chunk.indexOf(NUL);
      if (nul < 0) {
        this.rest = Buffer.concat([this.rest, chunk]);
        return;
      }
      const joined = Buffer.concat([this.rest, chunk.subarray(0, nul + 1)]);
      this.rest = null;
      this.onFrame(joined, 0, joined.length - 1);
      pos = nul + 1;
    }
    const len = chunk.length;
    for (;;) {
      while (pos < len && (chunk[pos] === LF || chunk[pos] === CR)) pos++;
      if (pos >= len) return;
      const nul = chunk.indexOf(NUL, pos);
      if (nul < 0) {
        // Copy: the caller may reuse `chunk` (ws payload views live in a larger buffer).
        this.rest = Buffer.from(chunk.subarray(pos));
        return;
      }
      this.onFrame(chunk, pos, nul);
      pos = nul + 1;
    }
  }
}

/** Index of the first body byte of the frame starting at `start`, or -1. */
export function bodyStart(buf, start, nul) {
  const i = buf.indexOf('\n\n', start);
  if (i >= 0 && i < nul) return i + 2;
  const j = buf.indexOf('\r\n\r\n', start);
  return j >= 0 && j < nul ? j + 4 : -1;
}

/** Value of header `name` (first occurrence, STOMP 1.2) of the frame at [start, nul), or undefined. */
export function headerValue(buf, start, nul, name) {
  const end = bodyStart(buf, start, nul);
  const limit = end < 0 ? nul : end;
  const needle = '\n' + name + ':';
  const i = buf.indexOf(needle, start);
  if (i < 0 || i >= limit) return undefined;
  const from = i + needle.length;
  let to = buf.indexOf(LF, from);
  if (to < 0 || to > limit) to = limit;
  if (to > from && buf[to - 1] === CR) to--;
  return buf.toString('latin1', from, to);
}

/** The command of the frame at `start` (only used off the hot path). */
export function command(buf, start, nul) {
  let end = buf.indexOf(LF, start);
  if (end < 0 || end > nul) end = nul;
  if (end > start && buf[end - 1] === CR) end--;
  return buf.toString('latin1', start, end);
}

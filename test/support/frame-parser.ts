/**
 * A tiny STOMP frame parser for the tests, written independently of the server's decoder so that
 * the server is judged by a second reading of the spec, not by its own code.
 *
 * It knows just enough: EOLs between frames are heart-beats (counted), `\n` or `\r\n` line ends,
 * first header occurrence wins, `content-length` bodies may hold NULs, 1.1/1.2 header unescaping
 * (never on CONNECTED).
 */

export interface ParsedFrame {
  command: string;
  /** Decoded values, first occurrence wins. */
  headers: Record<string, string>;
  /** Header lines exactly as on the wire (name and value before unescaping), in order. */
  rawHeaders: Array<[string, string]>;
  body: Buffer;
  /** The whole frame's bytes, from the command to the NUL included. */
  raw: Buffer;
  /** When the frame was completed (Date.now()). */
  at: number;
}

const LF = 0x0a;
const CR = 0x0d;
const NUL = 0x00;

export function unescapeHeader(value: string): string {
  if (!value.includes('\\')) return value;
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const next = value[++i];
    if (next === 'n') out += '\n';
    else if (next === 'r') out += '\r';
    else if (next === 'c') out += ':';
    else if (next === '\\') out += '\\';
    else throw new Error(`test parser: invalid escape \\${next ?? ''} in server header ${JSON.stringify(value)}`);
  }
  return out;
}

export function escapeHeader(value: string): string {
  let out = '';
  for (const c of value) {
    if (c === '\\') out += '\\\\';
    else if (c === '\n') out += '\\n';
    else if (c === '\r') out += '\\r';
    else if (c === ':') out += '\\c';
    else out += c;
  }
  return out;
}

export class FrameParser {
  /** Heart-beat EOLs seen between frames, with their arrival times. */
  readonly eols: number[] = [];
  /** Negotiated version once CONNECTED was seen: decides header unescaping. */
  version: string | undefined;
  private buffer: Buffer = Buffer.alloc(0);

  constructor(private readonly onFrame: (frame: ParsedFrame) => void) {}

  push(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const buf = this.buffer;
      if (buf.length === 0) return;
      // Heart-beats: EOLs before a frame.
      if (buf[0] === LF) {
        this.eols.push(Date.now());
        this.buffer = buf.subarray(1);
        continue;
      }
      if (buf[0] === CR) {
        if (buf.length < 2) return;
        if (buf[1] !== LF) throw new Error('test parser: CR not followed by LF between frames');
        this.eols.push(Date.now());
        this.buffer = buf.subarray(2);
        continue;
      }
      const frame = this.parseOne(buf);
      if (!frame) return;
      this.onFrame(frame);
    }
  }

  /** Bytes received but not yet part of a complete frame. */
  get pending(): number {
    return this.buffer.length;
  }

  private parseOne(buf: Buffer): ParsedFrame | undefined {
    const lines: string[] = [];
    let pos = 0;
    let bodyStart = -1;
    for (;;) {
      const nl = buf.indexOf(LF, pos);
      if (nl < 0) return undefined;
      const end = nl > pos && buf[nl - 1] === CR ? nl - 1 : nl;
      const line = buf.toString('utf8', pos, end);
      pos = nl + 1;
      if (line.length === 0 && lines.length > 0) {
        bodyStart = pos;
        break;
      }
      lines.push(line);
    }
    const command = lines[0]!;
    const rawHeaders: Array<[string, string]> = [];
    const headers: Record<string, string> = {};
    const decode = command !== 'CONNECTED' && (this.version === '1.1' || this.version === '1.2');
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i]!;
      const colon = line.indexOf(':');
      if (colon < 0) throw new Error(`test parser: server sent a header line without colon: ${JSON.stringify(line)}`);
      const name = line.slice(0, colon);
      const value = line.slice(colon + 1);
      rawHeaders.push([name, value]);
      const key = decode ? unescapeHeader(name) : name;
      if (!(key in headers)) headers[key] = decode ? unescapeHeader(value) : value;
    }
    let bodyEnd: number;
    const length = headers['content-length'];
    if (length !== undefined) {
      bodyEnd = bodyStart + Number(length);
      if (buf.length < bodyEnd + 1) return undefined;
      if (buf[bodyEnd] !== NUL) throw new Error(`test parser: no NUL after content-length ${length} body of ${command}`);
    } else {
      bodyEnd = buf.indexOf(NUL, bodyStart);
      if (bodyEnd < 0) return undefined;
    }
    const frame: ParsedFrame = {
      command,
      headers,
      rawHeaders,
      body: Buffer.from(buf.subarray(bodyStart, bodyEnd)),
      raw: Buffer.from(buf.subarray(0, bodyEnd + 1)),
      at: Date.now(),
    };
    if (command === 'CONNECTED') this.version = headers.version ?? '1.0';
    this.buffer = buf.subarray(bodyEnd + 1);
    return frame;
  }
}

/** Builds a frame's bytes exactly as given: no escaping, no content-length unless passed. */
export function buildFrame(
  command: string,
  headers: Record<string, string> | Array<[string, string]> = {},
  body: Buffer | string = '',
): Buffer {
  const entries = Array.isArray(headers) ? headers : Object.entries(headers);
  let head = `${command}\n`;
  for (const [name, value] of entries) head += `${name}:${value}\n`;
  head += '\n';
  return Buffer.concat([Buffer.from(head), typeof body === 'string' ? Buffer.from(body) : body, Buffer.from([NUL])]);
}

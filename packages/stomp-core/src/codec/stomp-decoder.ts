import type { StompError } from '../errors/stomp.error.js';
import { DEFAULT_CODEC_LIMITS, type CodecLimits } from './codec-limits.js';
import { frameTooLarge, invalidEscape, lineTooLong, malformed, parseContentLength, tooManyHeaders } from './decoder-errors.js';
import { GrowableBuffer } from './growable-buffer.js';
import { createHeaderMap } from './header-map.js';
import { escapeFlavour, unescapeHeader, type EscapeFlavour } from './header-escaping.js';
import { keptValue, knownCommand, knownHeaderName, shortAscii } from './known-strings.js';
import { RepeatedValues, repeatedSlot } from './repeated-values.js';
import type { StompFrame, StompHeaders, StompVersion } from './stomp-frame.js';

export interface StompDecoderHandler {
  onFrame(frame: StompFrame): void;
  /** One call per EOL (`\n` or `\r\n`) received between frames. */
  onHeartbeat(): void;
  /** Called exactly once; afterwards the decoder ignores all input. */
  onError(error: StompError): void;
}

export interface StompDecoderOptions {
  limits?: Partial<CodecLimits>;
}

const LF = 10;
const CR = 13;
const NUL = 0;
const COLON = 58;
/** Line bytes readLine() scans in JS before it asks the native indexOf. */
const SHORT_LINE = 64;

// Parser states (plain integers: the switch in write() stays a jump table).
const IDLE = 0; // between frames: EOLs are heart-beats
const IDLE_CR = 1; // between frames, after a CR that must be followed by LF
const COMMAND = 2; // inside the command line
const HEADERS = 3; // inside the header block, until the blank line
const BODY_LENGTH = 4; // reading exactly content-length bytes
const BODY_NUL = 5; // reading up to the first NUL
const EXPECT_NUL = 6; // content-length bytes read; the NUL must follow
const FAILED = 7;

const EMPTY = Buffer.alloc(0);
/** Our "not scanned yet" marker for the NUL position cache (indexOf gives -1 for "none"). */
const UNKNOWN = -2;
/** Position returned after a failure: past any chunk, so write()'s loop ends. */
const STOP = Number.MAX_SAFE_INTEGER;

/**
 * Incremental STOMP 1.0/1.1/1.2 frame decoder over a byte stream (TCP chunks or WebSocket
 * messages: frames may span chunks, a chunk may hold many frames). Limits are enforced while
 * parsing, so it never buffers more than maxFrameSize body bytes or maxHeaderLength line bytes.
 * The common case, a whole frame inside one chunk, copies nothing: the body is a subarray.
 * Not re-entrant: a handler must not call write() from inside onFrame/onHeartbeat/onError.
 */
export class StompDecoder {
  /** Negotiated version: selects header unescaping. The session sets it after CONNECT. */
  version: StompVersion = '1.2';

  private readonly handler: StompDecoderHandler;
  private readonly maxFrameSize: number;
  private readonly maxHeaders: number;
  private readonly maxHeaderLength: number;
  private state = IDLE;

  // Current input chunk and where its next NUL is (valid during one write()).
  private chunk: Buffer = EMPTY;
  private nulAt = UNKNOWN;

  // Frame being decoded.
  private command = '';
  private headers: StompHeaders | undefined = undefined;
  private flavour: EscapeFlavour = 2;
  private headerCount = 0;
  /** Frame bytes consumed so far: command, header lines and their EOLs, body bytes read. */
  private frameBytes = 0;
  private contentLength = -1;
  /**
   * Bytes carried over to the next chunk: a header line, or a body without content-length, cut by
   * the chunk boundary. One buffer serves both: a line is taken whole before the body begins.
   */
  private readonly carry = new GrowableBuffer();
  private fixedBody: Buffer | undefined = undefined;
  private fixedFill = 0;
  private completeBody: Buffer = EMPTY;
  /** Where the frame being decoded began in the current chunk; -1 when it began in an earlier one. */
  private frameStart = -1;
  /** Where the frame onFrame is called for ends in the current chunk (after its NUL). */
  private frameEnd = -1;
  // Last values of the headers a producer repeats (destination, content-type, content-length).
  private readonly repeated = new RepeatedValues();

  constructor(handler: StompDecoderHandler, options?: StompDecoderOptions) {
    this.handler = handler;
    // `??` rather than a spread: a limit given as undefined keeps its default instead of disabling it.
    const limits = options?.limits;
    this.maxFrameSize = limits?.maxFrameSize ?? DEFAULT_CODEC_LIMITS.maxFrameSize;
    this.maxHeaders = limits?.maxHeaders ?? DEFAULT_CODEC_LIMITS.maxHeaders;
    this.maxHeaderLength = limits?.maxHeaderLength ?? DEFAULT_CODEC_LIMITS.maxHeaderLength;
  }

  /** True between frames with nothing of a frame held (the next byte starts a frame or is an EOL). */
  get idle(): boolean {
    return this.state === IDLE;
  }

  /** True once an error was reported; all further input is ignored. */
  get failed(): boolean {
    return this.state === FAILED;
  }

  /** Bytes held across chunk boundaries (a partial line or body); bounded by the limits. */
  get bufferedBytes(): number {
    return this.carry.length + this.fixedFill;
  }

  /**
   * During onFrame only: the frame's bytes as received (command line to NUL, no EOLs around it),
   * a view of the chunk being decoded; undefined when the frame began in an earlier chunk. A relay
   * passes such a frame on as it is when nothing in it needs rewriting.
   */
  frameView(): Buffer | undefined {
    return this.frameStart < 0 ? undefined : this.chunk.subarray(this.frameStart, this.frameEnd);
  }

  /** Feeds one chunk of the byte stream (or one WebSocket message). Never throws for any input. */
  write(chunk: Buffer): void {
    if (this.state === FAILED) return;
    this.chunk = chunk;
    this.nulAt = UNKNOWN;
    // A frame in progress began in an earlier chunk: it has no view in this one.
    this.frameStart = -1;
    const end = chunk.length;
    let pos = 0;
    while (pos < end) {
      switch (this.state) {
        case IDLE: {
          const b = chunk[pos]!;
          if (b === LF) {
            pos++;
            this.handler.onHeartbeat();
          } else if (b === CR) {
            if (pos + 1 === end) {
              this.state = IDLE_CR;
              pos++;
            } else if (chunk[pos + 1] === LF) {
              pos += 2;
              this.handler.onHeartbeat();
            } else {
              this.fail(malformed('CR not followed by LF between frames'));
              return;
            }
          } else {
            this.state = COMMAND;
            this.frameBytes = 0;
            this.frameStart = pos;
          }
          break;
        }
        case IDLE_CR:
          if (chunk[pos] !== LF) {
            this.fail(malformed('CR not followed by LF between frames'));
            return;
          }
          pos++;
          this.state = IDLE;
          this.handler.onHeartbeat();
          break;
        case COMMAND:
        case HEADERS:
          pos = this.readLine(pos, end);
          break;
        case BODY_LENGTH:
          pos = this.readFixedBody(pos, end);
          break;
        case EXPECT_NUL:
          if (chunk[pos] !== NUL) {
            this.fail(malformed(`Frame body longer than its content-length (${this.contentLength}): no NUL after it`));
            return;
          }
          pos = this.emit(pos + 1);
          break;
        case BODY_NUL:
          pos = this.readNulBody(pos, end);
          break;
        default: // FAILED
          return;
      }
    }
    this.chunk = EMPTY;
  }

  // ---- lines (command and headers) ---------------------------------------------------------

  /** Consumes one line (or the rest of the chunk when its EOL is not there yet). */
  private readLine(pos: number, end: number): number {
    const chunk = this.chunk;
    // Most lines are short: scanning their bytes here for the EOL (and a NUL, which would end the
    // frame inside its head) costs less than native indexOf calls; long lines go native.
    let lf = -1;
    let i = pos;
    const scanEnd = Math.min(end, pos + SHORT_LINE);
    for (; i < scanEnd; i++) {
      const b = chunk[i];
      if (b === LF) {
        lf = i;
        break;
      }
      if (b === NUL) return this.failAt(malformed('NUL inside the command or header lines'));
    }
    if (lf === -1 && i < end) {
      lf = chunk.indexOf(LF, i);
      const nul = this.nextNul(i);
      // A NUL ends a frame: inside the command or header lines the frame was cut short.
      if (nul !== -1 && (lf === -1 || nul < lf)) return this.failAt(malformed('NUL inside the command or header lines'));
    }
    const held = this.carry.length;
    if (lf === -1) {
      // No EOL yet: check the limits before holding the bytes (a trailing CR may be the EOL's).
      const total = held + (end - pos);
      const last = chunk[end - 1];
      if (total > this.maxHeaderLength + 1 || (total === this.maxHeaderLength + 1 && last !== CR)) {
        return this.failAt(lineTooLong(this.state === COMMAND, this.maxHeaderLength));
      }
      if (this.frameBytes + total > this.maxFrameSize) return this.failAt(frameTooLarge(this.maxFrameSize));
      this.carry.append(chunk, pos, end, this.maxHeaderLength + 1);
      return end;
    }
    let lineEnd = lf;
    const lastByte = lf > pos ? chunk[lf - 1] : held > 0 ? this.carry.at(held - 1) : -1;
    if (lastByte === CR) lineEnd--; // STOMP 1.2: EOL is LF or CR LF
    const length = held + (lineEnd - pos);
    if (length > this.maxHeaderLength) return this.failAt(lineTooLong(this.state === COMMAND, this.maxHeaderLength));
    this.frameBytes += held + (lf + 1 - pos);
    if (this.frameBytes > this.maxFrameSize) return this.failAt(frameTooLarge(this.maxFrameSize));
    let ok: boolean;
    if (held === 0) {
      ok = this.onLine(chunk, pos, lineEnd);
    } else {
      // The line began in an earlier chunk: join it (bounded by maxHeaderLength + 1).
      this.carry.append(chunk, pos, lf, this.maxHeaderLength + 2);
      const joined = this.carry.take();
      ok = this.onLine(joined, 0, length);
    }
    return ok ? lf + 1 : STOP;
  }

  /** Handles one complete line [s, e) of `buf` (EOL excluded). Returns false after a failure. */
  private onLine(buf: Buffer, s: number, e: number): boolean {
    if (this.state === COMMAND) {
      // STOMP: the command is never escaped; judging its name is the session's job.
      this.command = knownCommand(buf, s, e) ?? buf.toString('utf8', s, e);
      this.flavour = escapeFlavour(this.command, this.version);
      this.headers = createHeaderMap();
      this.headerCount = 0;
      this.contentLength = -1;
      this.state = HEADERS;
      return true;
    }
    if (s === e) return this.startBody();
    if (++this.headerCount > this.maxHeaders) {
      return this.fail(tooManyHeaders(this.maxHeaders));
    }
    // Split at the FIRST colon: values may contain raw ':' (1.0, and lenient 1.1 peers). ':' is
    // ASCII and never part of a UTF-8 sequence, so splitting the bytes equals splitting the text.
    let colon = s;
    while (colon < e && buf[colon] !== COLON) colon++;
    if (colon === e) return this.fail(malformed('Header line without ":"'));
    if (colon === s) return this.fail(malformed('Header line with an empty name'));
    // Fast path: a known name is a constant, a short ASCII value without backslash is final as
    // built; both read the same in every escaping flavour. A repeated value of a header producers
    // repeat is the string decoded last time. Everything else: decode, unescape.
    let name = knownHeaderName(buf, s, colon);
    const slot = name === undefined ? -1 : repeatedSlot(name);
    let value: string | undefined;
    if (slot < 0) {
      value = keptValue(name, buf, colon + 1, e) ?? shortAscii(buf, colon + 1, e);
    } else {
      value = this.repeated.find(slot, buf, colon + 1, e);
      if (value === undefined) {
        value = shortAscii(buf, colon + 1, e);
        if (value !== undefined) this.repeated.remember(slot, buf, colon + 1, e, value);
      }
    }
    if (name === undefined || value === undefined) {
      const rawName = name ?? buf.toString('utf8', s, colon);
      const rawValue = value ?? buf.toString('utf8', colon + 1, e);
      const flavour = this.flavour;
      // Inside unescapeHeader, a text without backslash comes back as is.
      const n = name ?? unescapeHeader(rawName, flavour);
      const v = value ?? unescapeHeader(rawValue, flavour);
      if (n === undefined || v === undefined) return this.fail(invalidEscape(rawName, rawValue, n === undefined, flavour));
      name = n;
      value = v;
      if (slot >= 0) this.repeated.remember(slot, buf, colon + 1, e, value);
    }
    const headers = this.headers!;
    // STOMP 1.2: repeated headers, only the first occurrence counts.
    if (headers[name] !== undefined) return true;
    headers[name] = value;
    if (name === 'content-length') {
      const length = parseContentLength(value);
      if (length < 0) return this.fail(malformed(`Invalid content-length "${value}"`));
      this.contentLength = length;
    }
    return true;
  }

  // ---- body --------------------------------------------------------------------------------

  /** The blank line ended the header block. */
  private startBody(): boolean {
    if (this.contentLength >= 0) {
      // Announced size known now: refuse before a single body byte arrives.
      if (this.frameBytes + this.contentLength > this.maxFrameSize) return this.fail(frameTooLarge(this.maxFrameSize));
      this.state = BODY_LENGTH;
      this.fixedFill = 0;
    } else {
      this.state = BODY_NUL;
    }
    return true;
  }

  private readFixedBody(pos: number, end: number): number {
    const length = this.contentLength;
    if (length === 0) {
      this.completeBody = EMPTY;
    } else if (this.fixedBody === undefined && end - pos >= length) {
      this.completeBody = this.chunk.subarray(pos, pos + length); // whole body in this chunk: no copy
      pos += length;
    } else {
      const target = (this.fixedBody ??= Buffer.allocUnsafe(length));
      const n = Math.min(end - pos, length - this.fixedFill);
      this.chunk.copy(target, this.fixedFill, pos, pos + n);
      this.fixedFill += n;
      pos += n;
      if (this.fixedFill < length) return pos;
      this.completeBody = target;
      this.fixedBody = undefined;
      this.fixedFill = 0;
    }
    this.frameBytes += length;
    this.state = EXPECT_NUL;
    return pos;
  }

  private readNulBody(pos: number, end: number): number {
    const nul = this.nextNul(pos);
    const room = this.maxFrameSize - this.frameBytes - this.carry.length;
    const stop = nul === -1 ? end : nul;
    if (stop - pos > room) return this.failAt(frameTooLarge(this.maxFrameSize));
    if (nul !== -1 && this.carry.length === 0) {
      this.completeBody = nul === pos ? EMPTY : this.chunk.subarray(pos, nul); // no copy
    } else {
      if (stop > pos) this.carry.append(this.chunk, pos, stop, this.maxFrameSize - this.frameBytes);
      if (nul === -1) return end;
      this.completeBody = this.carry.take();
    }
    return this.emit(nul + 1);
  }

  /** Delivers the finished frame; resets first so a throwing handler leaves a sane decoder. */
  private emit(next: number): number {
    const frame: StompFrame = { command: this.command, headers: this.headers!, body: this.completeBody };
    this.headers = undefined;
    this.completeBody = EMPTY;
    this.state = IDLE;
    this.frameEnd = next;
    this.handler.onFrame(frame);
    this.frameStart = -1;
    return next;
  }

  // ---- helpers -----------------------------------------------------------------------------

  /** Index of the first NUL at or after pos in the current chunk (-1: none). Scans each byte once per chunk. */
  private nextNul(pos: number): number {
    if (this.nulAt === UNKNOWN || (this.nulAt !== -1 && this.nulAt < pos)) this.nulAt = this.chunk.indexOf(NUL, pos);
    return this.nulAt;
  }

  /** fail() for callers that return a position: ends the write() loop. */
  private failAt(error: StompError): number {
    this.fail(error);
    return STOP;
  }

  private fail(error: StompError): false {
    this.state = FAILED;
    this.chunk = EMPTY;
    this.headers = undefined;
    this.completeBody = EMPTY;
    this.fixedBody = undefined;
    this.fixedFill = 0;
    this.carry.clear();
    this.handler.onError(error);
    return false;
  }
}

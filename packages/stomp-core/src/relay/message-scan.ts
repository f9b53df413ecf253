/**
 * A quick look at a broker MESSAGE frame that the relay may pass on as received: where it ends, its
 * `subscription` value, and whether it has the headers that decide if it can go as is. No strings
 * and no header map are made. Anything out of the ordinary (another command, a frame cut by the
 * read, a backslash anywhere in the head, a line without a colon, a NUL in the head, a bad or
 * missing NUL after content-length bytes, anything near a limit) answers false, and the full
 * decoder reads the frame: it alone judges and reports malformed input.
 */
export interface ScannedMessage {
  /** After the frame's NUL. */
  end: number;
  /** The first `subscription` value: [subscriptionStart, subscriptionEnd) of the buffer; -1 when absent. */
  subscriptionStart: number;
  subscriptionEnd: number;
  /** The first `message-id` value, as above. */
  messageIdStart: number;
  messageIdEnd: number;
  /** The first `ack` value, as above. */
  ackStart: number;
  ackEnd: number;
  hasDestination: boolean;
  hasReceipt: boolean;
}

export interface ScanLimits {
  maxFrameSize: number;
  maxHeaders: number;
  maxHeaderLength: number;
}

const LF = 10;
const CR = 13;
const NUL = 0;
const COLON = 58;
const BACKSLASH = 92;

// `MESSAGE` and the header names the relay looks at, as bytes.
const MESSAGE = Buffer.from('MESSAGE', 'latin1');
const SUBSCRIPTION = Buffer.from('subscription', 'latin1');
const MESSAGE_ID = Buffer.from('message-id', 'latin1');
const ACK = Buffer.from('ack', 'latin1');
const DESTINATION = Buffer.from('destination', 'latin1');
const RECEIPT = Buffer.from('receipt', 'latin1');
const CONTENT_LENGTH = Buffer.from('content-length', 'latin1');

function named(buf: Buffer, s: number, colon: number, name: Buffer): boolean {
  if (colon - s !== name.length) return false;
  for (let i = 0; i < name.length; i++) if (buf[s + i] !== name[i]) return false;
  return true;
}

/**
 * Scans the MESSAGE frame that starts at buf[start] (no EOLs before it) and ends before `end`.
 * True with `out` filled when it is whole and ordinary; false otherwise (`out` is then garbage).
 */
export function scanMessage(buf: Buffer, start: number, end: number, limits: ScanLimits, out: ScannedMessage): boolean {
  // Command line: exactly MESSAGE, then the EOL (STOMP 1.2: LF or CR LF).
  let p = start + MESSAGE.length;
  if (p >= end) return false;
  for (let i = 0; i < MESSAGE.length; i++) if (buf[start + i] !== MESSAGE[i]) return false;
  if (buf[p] === CR) p++;
  if (p >= end || buf[p] !== LF) return false;
  p++;
  out.subscriptionStart = out.subscriptionEnd = -1;
  out.messageIdStart = out.messageIdEnd = -1;
  out.ackStart = out.ackEnd = -1;
  out.hasDestination = out.hasReceipt = false;
  let contentLength = -1;
  let headers = 0;
  // Header lines up to the blank one. Stricter than the decoder everywhere: a frame it would refuse
  // never passes here.
  for (;;) {
    if (p >= end) return false;
    let colon = -1;
    let q = p;
    for (; q < end; q++) {
      const b = buf[q];
      if (b === LF) break;
      if (b === NUL || b === BACKSLASH) return false;
      if (b === COLON && colon < 0) colon = q;
    }
    if (q === end) return false; // the head goes on in a later read
    const lineEnd = q > p && buf[q - 1] === CR ? q - 1 : q;
    if (lineEnd === p) {
      p = q + 1;
      break; // the blank line
    }
    if (lineEnd - p >= limits.maxHeaderLength || ++headers >= limits.maxHeaders) return false;
    if (colon <= p) return false; // no colon, or an empty name
    const v = colon + 1; // a CR before the LF belongs to the EOL, one anywhere else to the value (as decoded)
    // STOMP 1.2: of a repeated header only the first occurrence counts (hence `Start < 0` below).
    const c = buf[p];
    if (c === 115 /* s */) {
      if (out.subscriptionStart < 0 && named(buf, p, colon, SUBSCRIPTION)) {
        out.subscriptionStart = v;
        out.subscriptionEnd = lineEnd;
      }
    } else if (c === 109 /* m */) {
      if (out.messageIdStart < 0 && named(buf, p, colon, MESSAGE_ID)) {
        out.messageIdStart = v;
        out.messageIdEnd = lineEnd;
      }
    } else if (c === 97 /* a */) {
      if (out.ackStart < 0 && named(buf, p, colon, ACK)) {
        out.ackStart = v;
        out.ackEnd = lineEnd;
      }
    } else if (c === 100 /* d */) {
      if (named(buf, p, colon, DESTINATION)) out.hasDestination = true;
    } else if (c === 114 /* r */) {
      if (named(buf, p, colon, RECEIPT)) out.hasReceipt = true;
    } else if (c === 99 /* c */) {
      if (contentLength < 0 && named(buf, p, colon, CONTENT_LENGTH)) {
        if (lineEnd === v || lineEnd - v > 9) return false;
        let n = 0;
        for (let i = v; i < lineEnd; i++) {
          const d = buf[i]! - 48;
          if (d < 0 || d > 9) return false;
          n = n * 10 + d;
        }
        contentLength = n;
      }
    }
    p = q + 1;
  }
  // Body: content-length bytes and their NUL, or up to the first NUL.
  let nul: number;
  if (contentLength >= 0) {
    nul = p + contentLength;
    if (nul >= end || buf[nul] !== NUL) return false;
  } else {
    nul = buf.indexOf(NUL, p);
    if (nul < 0 || nul >= end) return false;
  }
  if (nul + 1 - start >= limits.maxFrameSize) return false;
  out.end = nul + 1;
  return true;
}

/** A fresh result object (one per connection: scanMessage() fills it again for every frame). */
export function scannedMessage(): ScannedMessage {
  return {
    end: 0,
    subscriptionStart: -1,
    subscriptionEnd: -1,
    messageIdStart: -1,
    messageIdEnd: -1,
    ackStart: -1,
    ackEnd: -1,
    hasDestination: false,
    hasReceipt: false,
  };
}

// A minimal RFC 6455 client over a raw net.Socket: enough for the bench and cheap on CPU.
// Client frames are masked with the all-zero key (allowed by the RFC), so a pre-built STOMP frame
// goes on the wire verbatim after a small header.
import { createHash, randomBytes } from 'node:crypto';

const WS_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** Header of one final, masked (zero key) client frame of `length` payload bytes. */
export function wsHeader(length, opcode = 0x1) {
  if (length < 126) return Buffer.from([0x80 | opcode, 0x80 | length, 0, 0, 0, 0]);
  if (length < 65536) return Buffer.from([0x80 | opcode, 0x80 | 126, length >> 8, length & 255, 0, 0, 0, 0]);
  const h = Buffer.alloc(14);
  h[0] = 0x80 | opcode;
  h[1] = 0x80 | 127;
  h.writeBigUInt64BE(BigInt(length), 2);
  return h;
}

/** One client WebSocket message holding `payload`. */
export function wsWrap(payload, opcode = 0x1) {
  return Buffer.concat([wsHeader(payload.length, opcode), payload]);
}

/**
 * Performs the opening handshake on a connected socket. Resolves with the bytes that followed the
 * 101 response (the start of the frame stream); rejects on any other answer.
 */
export function wsHandshake(socket, host, path, protocol = 'v12.stomp') {
  const key = randomBytes(16).toString('base64');
  const accept = createHash('sha1').update(key + WS_GUID).digest('base64');
  socket.write(
    `GET ${path} HTTP/1.1\r\nHost: ${host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: ${protocol}\r\n\r\n`,
  );
  return new Promise((resolve, reject) => {
    let head = Buffer.alloc(0);
    const onData = (chunk) => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      socket.off('data', onData);
      socket.off('error', reject);
      const text = head.toString('latin1', 0, end);
      if (!/^HTTP\/1\.1 101/.test(text) || !text.includes(accept)) {
        reject(new Error(`WebSocket handshake refused: ${text.split('\r\n')[0]}`));
        return;
      }
      resolve(head.subarray(end + 4));
    };
    socket.on('data', onData);
    socket.once('error', reject);
  });
}

/** Header of the frame at `pos`: { opcode, length, at (first payload byte) }, or null if incomplete. */
function readHeader(buf, pos) {
  if (pos + 2 > buf.length) return null;
  if ((buf[pos + 1] & 0x80) !== 0) throw new Error('masked frame from a server (RFC 6455 5.1)');
  let length = buf[pos + 1] & 0x7f;
  let at = pos + 2;
  if (length === 126) {
    if (at + 2 > buf.length) return null;
    length = buf.readUInt16BE(at);
    at += 2;
  } else if (length === 127) {
    if (at + 8 > buf.length) return null;
    length = Number(buf.readBigUInt64BE(at));
    at += 8;
  }
  return { opcode: buf[pos] & 0x0f, length, at };
}

const MAX_CONTROL = 14 + 125; // largest header + largest control payload

/**
 * Streaming decoder of server frames. Data payloads are passed to onPayload as they arrive, even
 * partially (the STOMP reader above is streaming), so a large message is never buffered or copied.
 * Ping is answered, close is reported. Only a split header or control frame is kept between chunks.
 */
export class WsReader {
  constructor(socket, onPayload, onClose) {
    this.socket = socket;
    this.onPayload = onPayload;
    this.onClose = onClose;
    this.remaining = 0; // payload bytes of the current data frame still to come
    this.rest = null; // start of a header or control frame split between chunks
  }

  push(chunk) {
    let pos = 0;
    if (this.remaining > 0) pos = this.payload(chunk, 0);
    if (this.rest !== null && pos < chunk.length) {
      const restLen = this.rest.length;
      const joined = Buffer.concat([this.rest, chunk.subarray(pos, pos + MAX_CONTROL)]);
      this.rest = null;
      const h = readHeader(joined, 0);
      if (h === null || (h.opcode >= 0x8 && h.at + h.length > joined.length)) {
        this.rest = joined; // the chunk was shorter than what is missing
        return;
      }
      if (h.opcode >= 0x8) {
        this.control(h.opcode, joined.subarray(h.at, h.at + h.length));
        pos += h.at + h.length - restLen;
      } else {
        pos += h.at - restLen;
        this.remaining = h.length;
        pos = this.payload(chunk, pos);
      }
    }
    while (pos < chunk.length) {
      const h = readHeader(chunk, pos);
      if (h === null || (h.opcode >= 0x8 && h.at + h.length > chunk.length)) {
        this.rest = Buffer.from(chunk.subarray(pos));
        return;
      }
      if (h.opcode >= 0x8) {
        this.control(h.opcode, chunk.subarray(h.at, h.at + h.length));
        pos = h.at + h.length;
      } else {
        this.remaining = h.length;
        pos = this.payload(chunk, h.at);
      }
    }
  }

  /** Passes on what `chunk` holds of the current payload from `pos`; returns the next position. */
  payload(chunk, pos) {
    const n = Math.min(this.remaining, chunk.length - pos);
    if (n > 0) this.onPayload(chunk.subarray(pos, pos + n));
    this.remaining -= n;
    return pos + n;
  }

  control(opcode, payload) {
    if (opcode === 0x9) this.socket.write(wsWrap(Buffer.from(payload), 0xa));
    else if (opcode === 0x8) this.onClose(payload.length >= 2 ? payload.readUInt16BE(0) : 1005);
  }
}

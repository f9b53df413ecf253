import { isUtf8 } from 'node:buffer';
import type { WebSocket } from 'ws';
import { StompErrorCode } from '../../errors/error-codes.js';
import { StompLimitError } from '../../errors/stomp-limit.error.js';
import type { StompError } from '../../errors/stomp.error.js';
import type { StompConnection, StompConnectionEvents } from '../stomp-connection.js';

/** How long a closing WebSocket may take for its closing handshake before it is terminated. */
const CLOSE_LINGER_MS = 2_000;
/** Bytes in flight past which write() reports a full buffer (net.Socket's default highWaterMark). */
const HIGH_WATER_MARK = 16 * 1024;

/** The WsConnection of a WebSocket, for the shared listeners below. */
const CONNECTION = Symbol('nest-stomp.ws-connection');
type OwnedWebSocket = WebSocket & { [CONNECTION]: WsConnection };

// One set of listener functions for every WebSocket (it is `this`): no closures per connection.
function onMessage(this: WebSocket, data: Buffer | ArrayBuffer | Buffer[]): void {
  // Text and binary messages alike carry STOMP bytes; ws hands both over as Buffers.
  (this as OwnedWebSocket)[CONNECTION].events!.data(Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data));
}
function onError(this: WebSocket, error: Error & { code?: string }): void {
  // ws closes with 1009 itself; the session must still say why it ended (as over TCP).
  if (error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
    (this as OwnedWebSocket)[CONNECTION].failure ??= new StompLimitError(StompErrorCode.FRAME_TOO_LARGE, 'WebSocket message too large');
  }
}
function onClose(this: WebSocket): void {
  (this as OwnedWebSocket)[CONNECTION].closed();
}

/** A STOMP connection over one WebSocket (STOMP over WebSocket: frames in text or binary messages). */
export class WsConnection implements StompConnection {
  readonly transport = 'ws';
  /** Set by bind(); the listeners call its methods. */
  events: StompConnectionEvents | undefined = undefined;
  /** Why the transport itself ended the connection, when the session must report it. */
  failure: StompError | undefined = undefined;
  /** Bytes given to ws.send whose write callback has not run yet. */
  private inFlight = 0;
  private isClosed = false;

  constructor(
    private readonly ws: WebSocket,
    readonly remoteAddress: string | undefined,
  ) {
    (ws as OwnedWebSocket)[CONNECTION] = this;
  }

  get bufferedAmount(): number {
    return this.inFlight;
  }

  bind(events: StompConnectionEvents): void {
    this.events = events;
    this.ws.on('message', onMessage);
    this.ws.on('error', onError);
    this.ws.on('close', onClose);
  }

  /** The WebSocket closed (either side): once. */
  closed(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.events?.close(this.failure);
  }

  write(chunk: Buffer): boolean {
    if (this.isClosed || this.ws.readyState !== this.ws.OPEN) return true;
    const length = chunk.length;
    this.inFlight += length;
    // Text when the bytes are UTF-8 (what most STOMP-over-WebSocket clients expect), binary
    // otherwise: a text message must be valid UTF-8 and a body may be any bytes.
    this.ws.send(chunk, { binary: !isUtf8(chunk) }, () => {
      this.inFlight -= length;
      if (this.inFlight === 0) this.events?.drain();
    });
    // ws queues without limit: report "full" past the same high-water mark as a net.Socket, so
    // the session applies its send-buffer and send-time limits; `drain` comes when all is written.
    return this.inFlight < HIGH_WATER_MARK;
  }

  pause(): void {
    this.ws.pause();
  }

  resume(): void {
    this.ws.resume();
  }

  end(code = 1000, reason = ''): void {
    if (this.isClosed) return;
    this.ws.close(code, reason);
    setTimeout(() => this.ws.terminate(), CLOSE_LINGER_MS).unref();
  }

  destroy(): void {
    this.ws.terminate();
  }
}

import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions as TlsConnectionOptions } from 'node:tls';
import { StompDecoder } from '../codec/stomp-decoder.js';
import { HEARTBEAT_EOL, encodeFrame } from '../codec/stomp-encoder.js';
import type { StompFrame, StompHeaders, StompVersion } from '../codec/stomp-frame.js';
import { StompErrorCode } from '../errors/error-codes.js';
import { StompError } from '../errors/stomp.error.js';
import { HeartbeatScheduler, type HeartbeatMember } from '../session/heartbeat-scheduler.js';
import { negotiateHeartbeat, parseHeartbeat } from '../session/heartbeat.js';
import { scanMessage, scannedMessage, type ScanLimits, type ScannedMessage } from './message-scan.js';
import type { RelayHost } from './relay-options.js';

/** What a BrokerConnection reports. */
export interface BrokerConnectionHandler {
  /**
   * A MESSAGE from the broker. `frame.body` (and frameView()) are views of a read buffer that is
   * written again once this returns: copy what must outlive the call.
   */
  onMessage(frame: StompFrame): void;
  /**
   * A MESSAGE that scanMessage() read at buf[start, scan.end) before any decoding: true when it
   * was taken care of (passed on as received); false and it is decoded and given to onMessage.
   * `buf` is the read buffer, as for onMessage.
   */
  onScannedMessage?(buf: Buffer, start: number, scan: ScannedMessage): boolean;
  /**
   * The broker sent ERROR (it closes the connection next). `tag`: what the request that caused it
   * was tagged with (the client's receipt id), when the ERROR names a receipt we asked for.
   */
  onError(frame: StompFrame, tag: string | undefined): void;
  /** The connection is gone, once; `error` when it was not closed by us. */
  onClose(error: StompError | undefined): void;
  /** Everything written was handed to the kernel again (the broker reads). */
  onDrain?(): void;
}

export interface BrokerConnectionOptions {
  address: RelayHost;
  tls: boolean | TlsConnectionOptions;
  /** CONNECT headers (login, passcode, host, ...); accept-version and heart-beat are set here. */
  connectHeaders: StompHeaders;
  heartbeat: [number, number];
  connectTimeout: number;
  maxFrameSize: number;
}

interface PendingReceipt {
  resolve(): void;
  reject(error: StompError): void;
  tag: string | undefined;
}

/**
 * The buffer every plain-TCP broker connection of the process reads into (net.Socket `onread`):
 * no Buffer is allocated per read and no stream machinery runs for it. One is enough, as a read is
 * decoded before the next one: nothing read may be kept past the handler call (see onMessage).
 * 64 KiB: what libuv asks for per read.
 */
const READ_BUFFER_SIZE = 64 * 1024;
let sharedReadBuffer: Buffer | undefined;

function readBuffer(): Buffer {
  return (sharedReadBuffer ??= Buffer.allocUnsafeSlow(READ_BUFFER_SIZE));
}

const LF = 10;
const CR = 13;

/** Spring's relay: a broker silent for 3× its heart-beat interval is gone. */
const HEARTBEAT_TOLERANCE = 3;

/**
 * The heart-beat timers of every broker connection of the process (client and system sessions
 * of all relays): an interval per negotiated value, not two per connection. Its intervals end
 * with their last connection, so it needs no closing.
 */
const brokerHeartbeats = new HeartbeatScheduler(HEARTBEAT_TOLERANCE);

export function brokerUnavailable(detail?: string): StompError {
  return new StompError(StompErrorCode.BROKER_UNAVAILABLE, 'Broker not available', detail === undefined ? undefined : { details: detail });
}

/**
 * A STOMP client connection to the external broker (RabbitMQ, ActiveMQ), on our own codec:
 * CONNECT → CONNECTED, heart-beats both ways, receipts as Promises, writes coalesced per turn
 * (cork/uncork), and the socket's backpressure visible to the relay (`writable`, pause/resume).
 */
export class BrokerConnection implements HeartbeatMember {
  /** Negotiated with the broker (we offer 1.1 and 1.2, as Spring's relay does). */
  version: StompVersion = '1.2';
  /** The broker's CONNECTED headers. */
  connected: StompHeaders | undefined;
  readonly ready: Promise<void>;
  private readonly socket: Socket;
  private readonly decoder: StompDecoder;
  private readonly limits: ScanLimits;
  private readonly scan: ScannedMessage = scannedMessage();
  /** HeartbeatMember: Date.now() of the last bytes from / to the broker (kept while heart-beating that way). */
  lastReadAt = 0;
  lastWriteAt = 0;
  /** Negotiated heart-beat intervals in ms (0: off) while brokerHeartbeats holds this connection. */
  private sendEvery = 0;
  private expectEvery = 0;
  private readonly receipts = new Map<string, PendingReceipt>();
  private receiptSeq = 0;
  private corked = false;
  private closed = false;
  private byUs = false;
  /** Why we ended the connection (set by abort, reported once the socket closed). */
  private failWith: StompError | undefined;
  private connectTimer: NodeJS.Timeout | undefined;
  private settleReady!: (error?: StompError) => void;

  constructor(
    private readonly options: BrokerConnectionOptions,
    private readonly handler: BrokerConnectionHandler,
  ) {
    this.ready = new Promise<void>((resolve, reject) => {
      this.settleReady = (error) => (error === undefined ? resolve() : reject(error));
    });
    // Nobody may await `ready` (a client that left): do not let its rejection go unhandled.
    this.ready.catch(() => undefined);
    this.limits = { maxFrameSize: options.maxFrameSize, maxHeaders: 1024, maxHeaderLength: 64 * 1024 };
    this.decoder = new StompDecoder(
      {
        onFrame: (frame) => this.onFrame(frame),
        onHeartbeat: () => undefined,
        onError: (error) => this.abort(new StompError(StompErrorCode.BROKER_ERROR, `Bad frame from the broker: ${error.message}`)),
      },
      { limits: this.limits },
    );
    const { host, port } = options.address;
    const tls = options.tls;
    let socket: Socket;
    if (tls === false) {
      socket = netConnect({
        host,
        port,
        onread: {
          buffer: readBuffer,
          callback: (length: number, buffer: Uint8Array) => {
            this.onRead((buffer as Buffer).subarray(0, length));
            return true;
          },
        },
      });
    } else {
      // TLS: the decrypted bytes come as 'data' chunks (onread is for plain sockets).
      socket = tlsConnect({ host, port, servername: host, ...(tls === true ? {} : tls) });
      socket.on('data', (chunk: Buffer) => this.onRead(chunk));
    }
    this.socket = socket;
    socket.setNoDelay(true);
    socket.on(tls === false ? 'connect' : 'secureConnect', () => this.sendConnect());
    socket.on('drain', () => this.handler.onDrain?.());
    socket.on('error', (error) => this.abort(brokerUnavailable(`${host}:${port}: ${error.message}`)));
    socket.on('close', () => this.onSocketClose());
    this.connectTimer = setTimeout(
      () => this.abort(brokerUnavailable(`No CONNECTED from ${host}:${port} within ${options.connectTimeout} ms`)),
      options.connectTimeout,
    ).unref();
  }

  /**
   * During onMessage only: the MESSAGE's bytes as the broker sent them (undefined when it came in
   * more than one read). A view of the read buffer, like the frame's body.
   */
  frameView(): Buffer | undefined {
    return this.decoder.frameView();
  }

  get address(): RelayHost {
    return this.options.address;
  }

  get isOpen(): boolean {
    return !this.closed && this.connected !== undefined;
  }

  /** False while the socket's buffer is full: stop feeding it until onDrain. */
  get writable(): boolean {
    return !this.socket.writableNeedDrain;
  }

  /** Bytes queued in this process for the broker that its socket has not handed to the kernel yet. */
  get bufferedAmount(): number {
    return this.socket.writableLength;
  }

  /** Queues one frame; frames of one turn leave in one write. */
  send(command: string, headers: StompHeaders, body?: Buffer): void {
    if (this.closed) return;
    this.write(encodeFrame(command, headers, body, this.version));
  }

  /** Queues a whole frame already encoded for this connection's version (a client's SEND as it came). */
  sendBytes(frame: Buffer): void {
    if (this.closed) return;
    this.write(frame);
  }

  /**
   * Sends a frame with a `receipt` header of ours: resolves on the broker's RECEIPT, rejects
   * when the broker sends ERROR or the connection drops first. `tag` travels to onError.
   */
  request(command: string, headers: StompHeaders, body: Buffer | undefined, tag?: string): Promise<void> {
    if (this.closed) return Promise.reject(brokerUnavailable());
    const receipt = `relay-${++this.receiptSeq}`;
    const done = new Promise<void>((resolve, reject) => this.receipts.set(receipt, { resolve, reject, tag }));
    this.send(command, { ...headers, receipt }, body);
    return done;
  }

  pause(): void {
    this.socket.pause();
  }

  resume(): void {
    this.socket.resume();
  }

  /** DISCONNECT, then close the socket (no receipt awaited). */
  disconnect(): void {
    if (this.closed) return;
    this.byUs = true;
    if (this.connected !== undefined) this.send('DISCONNECT', {});
    this.socket.end();
    setTimeout(() => this.socket.destroy(), 1_000).unref();
  }

  /** Drops the connection at once. */
  destroy(): void {
    this.byUs = true;
    this.socket.destroy();
  }

  private onRead(chunk: Buffer): void {
    if (this.expectEvery > 0) this.lastReadAt = Date.now();
    const pos = this.handler.onScannedMessage === undefined || this.connected === undefined ? 0 : this.scanRead(chunk);
    if (pos < chunk.length) this.decoder.write(pos === 0 ? chunk : chunk.subarray(pos));
  }

  /**
   * Offers the whole MESSAGE frames at the start of a read to onScannedMessage, undecoded, while the
   * decoder holds nothing; returns where the decoder takes over (the first frame that is not such a
   * MESSAGE, or is cut by the read). A frame the handler declines is decoded on its own.
   */
  private scanRead(chunk: Buffer): number {
    if (!this.decoder.idle) return 0;
    const end = chunk.length;
    const scan = this.scan;
    let pos = 0;
    while (pos < end) {
      const b = chunk[pos];
      // EOLs between frames are heart-beats: the read itself already counted as one.
      if (b === LF) {
        pos++;
        continue;
      }
      if (b === CR) {
        if (pos + 1 < end && chunk[pos + 1] === LF) {
          pos += 2;
          continue;
        }
        return pos;
      }
      if (!scanMessage(chunk, pos, end, this.limits, scan)) return pos;
      const next = scan.end;
      if (!this.handler.onScannedMessage!(chunk, pos, scan)) {
        this.decoder.write(chunk.subarray(pos, next));
        if (this.decoder.failed) return end;
      }
      if (this.failWith !== undefined) return end; // aborted meanwhile: nothing more is read
      pos = next;
    }
    return pos;
  }

  private write(bytes: Buffer): void {
    if (!this.corked) {
      // Once per turn, not per frame: the frames of a turn leave together.
      if (this.sendEvery > 0) this.lastWriteAt = Date.now();
      this.corked = true;
      this.socket.cork();
      process.nextTick(() => {
        this.corked = false;
        this.socket.uncork();
      });
    }
    this.socket.write(bytes);
  }

  private sendConnect(): void {
    const headers: StompHeaders = {
      'accept-version': '1.1,1.2',
      'heart-beat': `${this.options.heartbeat[0]},${this.options.heartbeat[1]}`,
      ...this.options.connectHeaders,
    };
    this.write(encodeFrame('CONNECT', headers, undefined, '1.2'));
  }

  private onFrame(frame: StompFrame): void {
    switch (frame.command) {
      case 'MESSAGE':
        this.handler.onMessage(frame);
        return;
      case 'RECEIPT': {
        const id = frame.headers['receipt-id'];
        const pending = id === undefined ? undefined : this.receipts.get(id);
        if (pending !== undefined) {
          this.receipts.delete(id!);
          pending.resolve();
        }
        return;
      }
      case 'CONNECTED':
        this.onConnected(frame);
        return;
      case 'ERROR': {
        const error = new StompError(StompErrorCode.BROKER_ERROR, frame.headers.message ?? 'Broker error', {
          details: frame.body.length > 0 ? frame.body.toString() : undefined,
        });
        const id = frame.headers['receipt-id'];
        const tag = id === undefined ? undefined : this.receipts.get(id)?.tag;
        if (this.connected === undefined) {
          this.abort(error); // refused our CONNECT (bad login, unknown virtual host)
          return;
        }
        this.handler.onError(frame, tag);
        this.abort(error);
        return;
      }
      default:
        this.abort(new StompError(StompErrorCode.BROKER_ERROR, `Unexpected ${frame.command.slice(0, 32)} frame from the broker`));
    }
  }

  private onConnected(frame: StompFrame): void {
    clearTimeout(this.connectTimer);
    this.connected = frame.headers;
    this.version = frame.headers.version === '1.1' ? '1.1' : frame.headers.version === '1.0' ? '1.0' : '1.2';
    this.decoder.version = this.version;
    let broker: [number, number];
    try {
      broker = parseHeartbeat(frame.headers['heart-beat']);
    } catch {
      broker = [0, 0];
    }
    // negotiateHeartbeat sees it from the server's side: its sendEvery is what the broker sends.
    const { sendEvery: brokerSends, expectEvery: brokerExpects } = negotiateHeartbeat(this.options.heartbeat, broker);
    this.sendEvery = brokerExpects;
    this.expectEvery = brokerSends;
    brokerHeartbeats.start(this, brokerExpects, brokerSends);
    this.settleReady();
  }

  /** HeartbeatMember: one EOL to the broker. */
  beat(): void {
    this.socket.write(HEARTBEAT_EOL);
  }

  /** HeartbeatMember: the broker sent nothing for `ms`. */
  silent(ms: number): void {
    this.abort(brokerUnavailable(`No heart-beat from the broker for ${ms} ms`));
  }

  private stopHeartbeats(): void {
    if (this.sendEvery === 0 && this.expectEvery === 0) return;
    brokerHeartbeats.stop(this, this.sendEvery, this.expectEvery);
    this.sendEvery = this.expectEvery = 0;
  }

  /** Ends the connection because of `error` (reported to onClose, and to `ready` if still pending). */
  private abort(error: StompError): void {
    if (this.closed) return;
    this.failWith = error;
    this.socket.destroy();
  }

  private onSocketClose(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.connectTimer);
    this.stopHeartbeats();
    const error = this.byUs && this.failWith === undefined ? undefined : (this.failWith ?? brokerUnavailable('The broker closed the connection'));
    this.settleReady(error ?? brokerUnavailable('Closed before CONNECTED'));
    for (const pending of this.receipts.values()) pending.reject(error ?? brokerUnavailable());
    this.receipts.clear();
    this.handler.onClose(error);
  }
}

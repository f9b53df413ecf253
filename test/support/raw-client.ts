import { connect as netConnect, type Socket } from 'node:net';
import WebSocket from 'ws';
import { onCleanup } from './cleanup.js';
import { buildFrame, FrameParser, type ParsedFrame } from './frame-parser.js';
import type { TestServer } from './test-server.js';
import { AsyncQueue, deferred, DEFAULT_TIMEOUT, withTimeout, type Deferred } from './wait.js';

export type Transport = 'ws' | 'tcp';
export const TRANSPORTS: Array<[Transport]> = [['ws'], ['tcp']];
export const STOMP_WS_PROTOCOLS = ['v12.stomp', 'v11.stomp', 'v10.stomp'];

/**
 * A client that writes exact bytes and reads frames with the test parser, over a raw TCP socket
 * or a raw WebSocket (each write = one WS message).
 */
export class RawClient {
  readonly frames = new AsyncQueue<ParsedFrame>();
  readonly parser = new FrameParser((frame) => this.frames.push(frame));
  readonly closed: Deferred<void> = deferred<void>();
  closedAt: number | undefined;
  /** Bytes received in total (frames and heart-beats). */
  bytesIn = 0;
  /** WS only: whether each message the server sent was binary. */
  readonly wsBinary: boolean[] = [];
  socket: Socket | undefined;
  ws: WebSocket | undefined;

  private constructor(readonly transport: Transport) {
    onCleanup(() => this.destroy());
  }

  static async open(
    ts: TestServer,
    transport: Transport,
    options: { protocols?: string[] | undefined } = {},
  ): Promise<RawClient> {
    const client = new RawClient(transport);
    const opened = deferred<void>();
    if (transport === 'tcp') {
      const socket = netConnect(ts.tcpPort, '127.0.0.1');
      client.socket = socket;
      // Small frames written one by one must not wait for Nagle + delayed ACK (40 ms each).
      socket.setNoDelay(true);
      socket.on('connect', () => opened.resolve());
      socket.on('data', (chunk: Buffer) => client.onData(chunk));
      socket.on('error', (error) => opened.reject(error));
      socket.on('close', () => client.onClose());
    } else {
      const ws = new WebSocket(ts.wsUrl, options.protocols ?? STOMP_WS_PROTOCOLS);
      client.ws = ws;
      ws.on('open', () => opened.resolve());
      ws.on('message', (data: Buffer, isBinary: boolean) => {
        client.wsBinary.push(isBinary);
        client.onData(data);
      });
      ws.on('error', (error) => opened.reject(error));
      ws.on('close', () => client.onClose());
    }
    await withTimeout(opened.promise, DEFAULT_TIMEOUT, `${transport} connection`);
    return client;
  }

  get isClosed(): boolean {
    return this.closedAt !== undefined;
  }

  private onData(chunk: Buffer): void {
    this.bytesIn += chunk.length;
    try {
      this.parser.push(chunk);
    } catch (error) {
      // Surface the server's framing mistake as a frame no test expects.
      this.frames.push({
        command: '__UNPARSEABLE__',
        headers: { message: String(error) },
        rawHeaders: [],
        body: Buffer.from(String(error)),
        raw: chunk,
        at: Date.now(),
      });
    }
  }

  private onClose(): void {
    if (this.closedAt !== undefined) return;
    this.closedAt = Date.now();
    this.closed.resolve();
  }

  write(data: Buffer | string): void {
    const bytes = typeof data === 'string' ? Buffer.from(data) : data;
    if (this.socket) {
      if (!this.socket.destroyed && this.socket.writable) this.socket.write(bytes);
    } else if (this.ws && this.ws.readyState === WebSocket.OPEN) {
      this.ws.send(bytes);
    }
  }

  send(command: string, headers: Record<string, string> | Array<[string, string]> = {}, body: Buffer | string = ''): void {
    this.write(buildFrame(command, headers, body));
  }

  /** CONNECT (or STOMP) and wait for CONNECTED; fails on ERROR. */
  async connect(headers: Record<string, string> = { 'accept-version': '1.2' }, command = 'CONNECT'): Promise<ParsedFrame> {
    this.send(command, headers);
    const frame = await this.nextFrame();
    if (frame.command !== 'CONNECTED') {
      throw new Error(`expected CONNECTED, got ${frame.command} ${JSON.stringify(frame.headers)}`);
    }
    return frame;
  }

  nextFrame(timeout = DEFAULT_TIMEOUT): Promise<ParsedFrame> {
    return this.frames.next(timeout, `a frame over raw ${this.transport}`);
  }

  /** Takes frames until one matches; the skipped ones stay in `frames.all`. */
  async waitFor(match: (frame: ParsedFrame) => boolean, timeout = DEFAULT_TIMEOUT, what = 'a matching frame'): Promise<ParsedFrame> {
    const deadline = Date.now() + timeout;
    for (;;) {
      const frame = await this.frames.next(Math.max(1, deadline - Date.now()), `${what} over raw ${this.transport}`);
      if (match(frame)) return frame;
    }
  }

  receipt(id: string, timeout = DEFAULT_TIMEOUT): Promise<ParsedFrame> {
    return this.waitFor((f) => f.command === 'RECEIPT' && f.headers['receipt-id'] === id, timeout, `RECEIPT ${id}`);
  }

  /** SEND to a topic nobody listens to, with a receipt: every frame written before it took effect. */
  async sync(id = `sync-${Math.random().toString(36).slice(2)}`): Promise<void> {
    this.send('SEND', { destination: '/topic/sync', receipt: id });
    await this.receipt(id);
  }

  messages(): ParsedFrame[] {
    return this.frames.all.filter((f) => f.command === 'MESSAGE');
  }

  waitClosed(timeout = DEFAULT_TIMEOUT): Promise<void> {
    return withTimeout(this.closed.promise, timeout, `the server to close the ${this.transport} connection`);
  }

  /** The next frame is an ERROR with a `message` header, and the server then closes the connection. */
  async expectErrorThenClose(timeout = DEFAULT_TIMEOUT): Promise<ParsedFrame> {
    const frame = await this.waitFor((f) => f.command === 'ERROR' || f.command === '__UNPARSEABLE__', timeout, 'ERROR');
    expect(frame.command).toBe('ERROR');
    expect(typeof frame.headers.message).toBe('string');
    expect(frame.headers.message!.length).toBeGreaterThan(0);
    await this.waitClosed(timeout);
    return frame;
  }

  pause(): void {
    if (this.socket) this.socket.pause();
    else this.ws?.pause();
  }

  resume(): void {
    if (this.socket) this.socket.resume();
    else this.ws?.resume();
  }

  /** Abrupt: TCP destroy / WS terminate (no DISCONNECT, no closing handshake). */
  destroy(): void {
    if (this.socket) this.socket.destroy();
    else this.ws?.terminate();
  }
}

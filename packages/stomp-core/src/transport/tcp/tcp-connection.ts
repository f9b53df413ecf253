import type { Socket } from 'node:net';
import type { StompConnection, StompConnectionEvents } from '../stomp-connection.js';

/** How long a half-closed socket may linger after end() before it is destroyed (a peer that never reads). */
const END_LINGER_MS = 2_000;

/** A STOMP connection over a plain TCP socket (STOMP's native transport). */
export class TcpConnection implements StompConnection {
  readonly transport = 'tcp';
  readonly remoteAddress: string | undefined;
  private events: StompConnectionEvents | undefined;
  private closed = false;

  constructor(private readonly socket: Socket) {
    this.remoteAddress = socket.remoteAddress;
    // STOMP frames are small and latency matters; the session already coalesces writes per turn.
    socket.setNoDelay(true);
  }

  get bufferedAmount(): number {
    return this.socket.writableLength;
  }

  bind(events: StompConnectionEvents): void {
    this.events = events;
    const socket = this.socket;
    socket.on('data', events.data);
    socket.on('drain', events.drain);
    // A reset by the peer is an ordinary way for a connection to end; 'close' follows.
    socket.on('error', () => undefined);
    socket.once('close', () => {
      this.closed = true;
      events.close();
    });
  }

  write(chunk: Buffer): boolean {
    if (this.closed || this.socket.destroyed) return true;
    return this.socket.write(chunk);
  }

  pause(): void {
    this.socket.pause();
  }

  resume(): void {
    this.socket.resume();
  }

  end(): void {
    if (this.closed) return;
    this.socket.end();
    setTimeout(() => this.socket.destroy(), END_LINGER_MS).unref();
  }

  destroy(): void {
    this.socket.destroy();
  }
}

import type { Socket } from 'node:net';
import type { StompConnection, StompConnectionEvents } from '../stomp-connection.js';

/** How long a half-closed socket may linger after end() before it is destroyed (a peer that never reads). */
const END_LINGER_MS = 2_000;

/** The TcpConnection of a socket, for the shared listeners below. */
const CONNECTION = Symbol('nest-stomp.tcp-connection');
type OwnedSocket = Socket & { [CONNECTION]: TcpConnection };

// One set of listener functions for every socket (the socket is `this`): no closures per
// connection, which are most of what an idle connection costs beyond the socket itself.
function onData(this: OwnedSocket, chunk: Buffer): void {
  this[CONNECTION].events!.data(chunk);
}
function onDrain(this: OwnedSocket): void {
  this[CONNECTION].events!.drain();
}
// A reset by the peer is an ordinary way for a connection to end; 'close' follows.
function onError(): void {}
function onClose(this: OwnedSocket): void {
  this[CONNECTION].closed();
}

/** A STOMP connection over a plain TCP socket (STOMP's native transport). */
export class TcpConnection implements StompConnection {
  readonly transport = 'tcp';
  readonly remoteAddress: string | undefined;
  /** Set by bind(); the listeners call its methods. */
  events: StompConnectionEvents | undefined = undefined;
  private isClosed = false;

  /** `open`: the listener's set of live sockets; the socket leaves it when it closes. */
  constructor(
    private readonly socket: Socket,
    private readonly open?: Set<Socket>,
  ) {
    this.remoteAddress = socket.remoteAddress;
    (socket as OwnedSocket)[CONNECTION] = this;
    open?.add(socket);
    // STOMP frames are small and latency matters; the session already coalesces writes per turn.
    socket.setNoDelay(true);
    socket.on('error', onError);
    socket.on('close', onClose);
  }

  get bufferedAmount(): number {
    return this.socket.writableLength;
  }

  bind(events: StompConnectionEvents): void {
    this.events = events;
    this.socket.on('data', onData);
    this.socket.on('drain', onDrain);
  }

  /** The socket closed (either side): once. */
  closed(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.open?.delete(this.socket);
    this.events?.close();
  }

  write(chunk: Buffer): boolean {
    if (this.isClosed || this.socket.destroyed) return true;
    return this.socket.write(chunk);
  }

  pause(): void {
    this.socket.pause();
  }

  resume(): void {
    this.socket.resume();
  }

  end(): void {
    if (this.isClosed) return;
    this.socket.end();
    setTimeout(() => this.socket.destroy(), END_LINGER_MS).unref();
  }

  destroy(): void {
    this.socket.destroy();
  }
}

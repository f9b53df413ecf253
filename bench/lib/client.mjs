// One STOMP connection of the load generator, over raw TCP or the minimal WebSocket client.
// Frames in: MESSAGE goes to `onMessage(buf, start, nul)` untouched (hot path); RECEIPT, CONNECTED
// and ERROR are decoded here (cold path).
import net from 'node:net';
import { FrameReader, command, connectFrame, headerValue } from './stomp-wire.mjs';
import { WsReader, wsHandshake, wsWrap } from './ws-wire.mjs';

const M = 77; // 'M'

/**
 * Parses `tcp://host:port` or `ws://host:port/path`. External brokers: `tcp://login:passcode@host:port?vhost=/`
 * sends login/passcode and `host:<vhost>` (RabbitMQ reads `host` as a virtual host).
 */
export function parseTarget(url) {
  const u = new URL(url);
  const transport = u.protocol === 'ws:' ? 'ws' : u.protocol === 'tcp:' ? 'tcp' : undefined;
  if (!transport) throw new Error(`unsupported url ${url} (tcp://host:port or ws://host:port/path)`);
  const login = u.username ? { login: decodeURIComponent(u.username), passcode: decodeURIComponent(u.password) } : undefined;
  return { transport, host: u.hostname, port: Number(u.port), path: u.pathname || '/', login, vhost: u.searchParams.get('vhost') ?? undefined };
}

export class StompClient {
  constructor(target) {
    this.target = target;
    this.ws = target.transport === 'ws';
    this.onMessage = () => {};
    this.onDrain = () => {};
    this.errors = [];
    this.closed = false;
    this.pendingReceipts = new Map();
    this.connectedWaiter = null;
    this.reader = new FrameReader((buf, start, nul) => {
      if (buf[start] === M) this.onMessage(buf, start, nul);
      else this.controlFrame(buf, start, nul);
    });
  }

  /** Opens the socket (and WebSocket), sends CONNECT and resolves on CONNECTED. */
  async open(timeoutMs = 10_000) {
    const { host, port, path } = this.target;
    const socket = net.connect({ host, port });
    this.socket = socket;
    socket.setNoDelay(true);
    const failed = new Promise((_, reject) => {
      socket.once('error', (err) => {
        this.fail(err);
        reject(err);
      });
      socket.once('close', () => {
        if (this.closed) return; // destroyed by us
        this.closed = true;
        this.fail(new Error('connection closed by the server'));
        reject(new Error('connection closed during setup'));
      });
    });
    failed.catch(() => {});
    const timer = setTimeout(() => socket.destroy(new Error(`setup timed out after ${timeoutMs} ms`)), timeoutMs);
    try {
      await Promise.race([new Promise((resolve) => socket.once('connect', resolve)), failed]);
      let first = null;
      if (this.ws) {
        first = await Promise.race([wsHandshake(socket, `${host}:${port}`, path), failed]);
        const wsReader = new WsReader(socket, (p) => this.reader.push(p), (code) => this.fail(new Error(`ws close ${code}`)));
        socket.on('data', (chunk) => wsReader.push(chunk));
        if (first.length > 0) wsReader.push(first);
      } else {
        socket.on('data', (chunk) => this.reader.push(chunk));
      }
      socket.on('drain', () => this.onDrain());
      const connected = new Promise((resolve, reject) => (this.connectedWaiter = { resolve, reject }));
      this.send(connectFrame(this.target.vhost ?? host, this.target.login));
      await Promise.race([connected, failed]);
    } finally {
      clearTimeout(timer);
    }
    return this;
  }

  /** Wire bytes of one STOMP frame on this transport (pre-build them once for hot paths). */
  wire(frameBuf) {
    return this.ws ? wsWrap(frameBuf) : frameBuf;
  }

  send(frameBuf) {
    return this.socket.write(this.wire(frameBuf));
  }

  /** Writes bytes already in wire form; false means the socket buffer is full (wait onDrain). */
  writeRaw(buf) {
    return this.socket.write(buf);
  }

  /** Sends a frame carrying `receipt: id` and resolves when its RECEIPT arrives. */
  request(frameBuf, receiptId, timeoutMs = 10_000) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pendingReceipts.delete(receiptId);
        reject(new Error(`no RECEIPT ${receiptId} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pendingReceipts.set(receiptId, { resolve, reject, timer });
      this.send(frameBuf);
    });
  }

  controlFrame(buf, start, nul) {
    const cmd = command(buf, start, nul);
    if (cmd === 'RECEIPT') {
      const id = headerValue(buf, start, nul, 'receipt-id');
      const waiter = this.pendingReceipts.get(id);
      if (waiter) {
        this.pendingReceipts.delete(id);
        clearTimeout(waiter.timer);
        waiter.resolve();
      }
    } else if (cmd === 'CONNECTED') {
      this.connectedWaiter?.resolve();
      this.connectedWaiter = null;
    } else if (cmd === 'ERROR') {
      const message = headerValue(buf, start, nul, 'message') ?? '(no message header)';
      this.fail(new Error(`ERROR frame: ${message}`));
    }
  }

  fail(err) {
    if (this.errors.length < 10) this.errors.push(err.message);
    this.connectedWaiter?.reject(err);
    this.connectedWaiter = null;
    for (const waiter of this.pendingReceipts.values()) {
      clearTimeout(waiter.timer);
      waiter.reject(err);
    }
    this.pendingReceipts.clear();
  }

  destroy() {
    this.closed = true;
    this.socket?.destroy();
  }
}

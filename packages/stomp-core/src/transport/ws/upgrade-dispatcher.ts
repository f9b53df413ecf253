import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Duplex } from 'node:stream';

export type UpgradeHandler = (request: IncomingMessage, socket: Duplex, head: Buffer) => void;

const DISPATCHER = Symbol.for('nest-stomp.upgrade-dispatcher');

/**
 * Shares an HTTP server's 'upgrade' event between STOMP endpoints and everybody else.
 *
 * Why: a Node 'upgrade' event goes to every listener, and some listeners (Nest's WsAdapter)
 * destroy sockets whose path they do not know. So the dispatcher becomes the only listener:
 * requests for a STOMP path go to STOMP alone, all others go to the listeners that were there
 * before (or are added later), exactly as the server would have called them.
 */
class UpgradeDispatcher {
  private readonly routes = new Map<string, UpgradeHandler>();
  private readonly others: Array<(...args: unknown[]) => void> = [];
  private readonly dispatch = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const url = request.url ?? '/';
    const q = url.indexOf('?');
    const route = this.routes.get(q < 0 ? url : url.slice(0, q));
    if (route) return route(request, socket, head);
    if (this.others.length === 0) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    for (const listener of [...this.others]) listener.call(this.server, request, socket, head);
  };
  private readonly onNewListener = (event: string | symbol, listener: (...args: unknown[]) => void): void => {
    if (event !== 'upgrade' || listener === this.dispatch) return;
    // 'newListener' fires before the listener is added: move it once it is there.
    process.nextTick(() => {
      this.server.removeListener('upgrade', listener);
      this.others.push(listener);
    });
  };

  constructor(private readonly server: HttpServer) {
    for (const listener of server.listeners('upgrade')) {
      this.others.push(listener as (...args: unknown[]) => void);
      server.removeListener('upgrade', listener as (...args: unknown[]) => void);
    }
    server.on('upgrade', this.dispatch);
    server.on('newListener', this.onNewListener);
  }

  add(path: string, handler: UpgradeHandler): void {
    if (this.routes.has(path)) throw new Error(`A STOMP WebSocket endpoint already serves ${path}`);
    this.routes.set(path, handler);
  }

  /** Removes a route; the last one restores the server's listeners as they were. */
  remove(path: string): void {
    this.routes.delete(path);
    if (this.routes.size > 0) return;
    this.server.removeListener('newListener', this.onNewListener);
    this.server.removeListener('upgrade', this.dispatch);
    for (const listener of this.others) this.server.on('upgrade', listener);
    delete (this.server as unknown as Record<symbol, unknown>)[DISPATCHER];
  }
}

export function addUpgradeRoute(server: HttpServer, path: string, handler: UpgradeHandler): () => void {
  const slot = server as unknown as Record<symbol, UpgradeDispatcher | undefined>;
  const dispatcher = (slot[DISPATCHER] ??= new UpgradeDispatcher(server));
  dispatcher.add(path, handler);
  return () => dispatcher.remove(path);
}

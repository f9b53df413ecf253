import { createServer, type Server, type Socket } from 'node:net';
import type { StompConnection } from '../stomp-connection.js';
import { TcpConnection } from './tcp-connection.js';

export interface TcpEndpointOptions {
  /** 0 picks a free port; read it back from the endpoint. */
  port: number;
  /** Default '127.0.0.1'. */
  host?: string;
}

export interface TcpEndpoint {
  readonly port: number;
  readonly host: string;
  close(): Promise<void>;
}

/** Plain-TCP STOMP listener (stomp.py, the Ruby gem, Java clients connect here). */
export function listenTcpEndpoint(
  options: TcpEndpointOptions,
  accept: (connection: StompConnection) => void,
): Promise<TcpEndpoint> {
  const sockets = new Set<Socket>();
  // Each TcpConnection keeps itself in `sockets` while open, so close() can drop them all.
  const server: Server = createServer((socket) => accept(new TcpConnection(socket, sockets)));
  const host = options.host ?? '127.0.0.1';
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : options.port;
      let closing: Promise<void> | undefined;
      resolve({
        port,
        host,
        close() {
          // net.Server#close only stops accepting; open sockets would keep the process alive.
          closing ??= new Promise<void>((done) => {
            server.close(() => done());
            for (const socket of sockets) socket.destroy();
          });
          return closing;
        },
      });
    });
  });
}

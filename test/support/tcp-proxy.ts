import { createServer, connect, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, type TlsOptions } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { onCleanup } from './cleanup.js';

/**
 * A TCP proxy in front of a real broker that a test can cut (drop every connection, refuse new
 * ones) and restore: a broker outage without stopping the broker. It can also hold (stop reading
 * what its clients send, so their kernel buffers fill up: a broker that does not read) and
 * release. Port 0, read back.
 */
export class TcpProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  /** Accepted client sockets (the side whose bytes go to the target). */
  private readonly clients = new Set<Socket>();
  private held = false;
  port = 0;
  /** Connections accepted so far. */
  accepted = 0;

  private constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
    private readonly tls: TlsOptions | undefined,
  ) {}

  /** `tls`: terminate TLS here (key, cert) and talk plain TCP to the target. */
  static async start(targetHost: string, targetPort: number, tls?: TlsOptions): Promise<TcpProxy> {
    const proxy = new TcpProxy(targetHost, targetPort, tls);
    await proxy.listen(0);
    onCleanup(() => proxy.stop(), 'server');
    return proxy;
  }

  /** Drops every connection and stops listening (the port stays reserved for restore()). */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Listens again on the same port. */
  async restore(): Promise<void> {
    await this.listen(this.port);
  }

  /** Stops reading from every client (new ones too): what they send waits in kernel buffers, then in theirs. */
  hold(): void {
    this.held = true;
    for (const client of this.clients) client.pause();
  }

  /** Reads and forwards again. */
  release(): void {
    this.held = false;
    for (const client of this.clients) client.resume();
  }

  async stop(): Promise<void> {
    await this.cut();
  }

  private listen(port: number): Promise<void> {
    const onClient = (client: Socket): void => {
      this.accepted++;
      const upstream = connect(this.targetPort, this.targetHost);
      this.sockets.add(client);
      this.sockets.add(upstream);
      this.clients.add(client);
      // Client → target by hand (not pipe): pipe would resume a held client on the target's drain.
      if (this.held) client.pause();
      client.on('data', (chunk: Buffer) => {
        if (!upstream.write(chunk)) client.pause();
      });
      client.on('end', () => upstream.end());
      upstream.on('drain', () => {
        if (!this.held) client.resume();
      });
      upstream.pipe(client);
      const drop = (): void => {
        client.destroy();
        upstream.destroy();
        this.sockets.delete(client);
        this.sockets.delete(upstream);
        this.clients.delete(client);
      };
      client.on('error', drop).on('close', drop);
      upstream.on('error', drop).on('close', drop);
    };
    const server = this.tls === undefined ? createServer(onClient) : createTlsServer(this.tls, onClient);
    // A failed TLS handshake is the client's problem, not the proxy's.
    server.on('tlsClientError', () => undefined);
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        this.port = (server.address() as AddressInfo).port;
        resolve();
      });
    });
  }
}

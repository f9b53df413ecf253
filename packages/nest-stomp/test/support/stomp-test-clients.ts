import type { AddressInfo } from 'node:net';
import type { Server as HttpServer } from 'node:http';
import { Client, type IFrame, type IMessage, type IStompSocket } from '@stomp/stompjs';
import { TCPWrapper } from '@stomp/tcp-wrapper';
import WebSocket from 'ws';

export type SocketFactory = () => IStompSocket;

/** Node 20 has no global WebSocket: give stompjs a `ws` socket offering the STOMP sub-protocols. */
export function wsFactory(url: string): SocketFactory {
  return () => new WebSocket(url, ['v12.stomp', 'v11.stomp', 'v10.stomp']) as unknown as IStompSocket;
}

export function tcpFactory(port: number, host = '127.0.0.1'): SocketFactory {
  return () => new TCPWrapper(host, port) as unknown as IStompSocket;
}

/** ws://127.0.0.1:<port><path> of a Nest app after `app.listen(0)`. */
export function wsUrl(httpServer: HttpServer, path = '/ws'): string {
  return `ws://127.0.0.1:${(httpServer.address() as AddressInfo).port}${path}`;
}

/** Messages of one subscription, awaited one at a time. */
export class Inbox {
  private readonly messages: IMessage[] = [];
  private readonly waiters: Array<(message: IMessage) => void> = [];

  push = (message: IMessage): void => {
    const waiter = this.waiters.shift();
    if (waiter) waiter(message);
    else this.messages.push(message);
  };

  /** Messages received and not taken by next() yet. */
  get waiting(): number {
    return this.messages.length;
  }

  next(): Promise<IMessage> {
    const message = this.messages.shift();
    if (message) return Promise.resolve(message);
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}

export interface TestClient {
  readonly client: Client;
  /** Resolves with the first ERROR frame the server sends. */
  readonly error: Promise<IFrame>;
  /** Resolves when the socket is closed. */
  readonly closed: Promise<void>;
  /** SUBSCRIBEs and resolves once the server confirmed it with a RECEIPT (so a later SEND cannot overtake it). */
  subscribe(destination: string): Promise<Inbox>;
  disconnect(): Promise<void>;
}

let receipts = 0;

/** Connects a stompjs client (no reconnect, no heart-beats) and resolves once CONNECTED. */
export function connectClient(webSocketFactory: SocketFactory, connectHeaders: Record<string, string> = {}): Promise<TestClient> {
  let onError!: (frame: IFrame) => void;
  let onClosed!: () => void;
  const error = new Promise<IFrame>((resolve) => (onError = resolve));
  const closed = new Promise<void>((resolve) => (onClosed = resolve));
  return new Promise<TestClient>((resolve, reject) => {
    let connected = false;
    const client = new Client({
      webSocketFactory,
      connectHeaders,
      reconnectDelay: 0,
      heartbeatIncoming: 0,
      heartbeatOutgoing: 0,
      onConnect: () => {
        connected = true;
        resolve({
          client,
          error,
          closed,
          subscribe: (destination) =>
            new Promise<Inbox>((done) => {
              const inbox = new Inbox();
              const receipt = `sub-${++receipts}`;
              client.watchForReceipt(receipt, () => done(inbox));
              client.subscribe(destination, inbox.push, { receipt });
            }),
          disconnect: () => client.deactivate(),
        });
      },
      onStompError: (frame) => {
        onError(frame);
        if (!connected) reject(new Error(`STOMP ERROR before CONNECTED: ${frame.headers.message}`));
      },
      onWebSocketClose: () => {
        onClosed();
        if (!connected) reject(new Error('socket closed before CONNECTED'));
      },
    });
    client.activate();
  });
}

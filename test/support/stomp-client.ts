import {
  Client,
  Versions,
  type IFrame,
  type IMessage,
  type IStompSocket,
  type StompHeaders,
  type StompSubscription,
} from '@stomp/stompjs';
import { TCPWrapper } from '@stomp/tcp-wrapper';
import WebSocket from 'ws';
import { onCleanup } from './cleanup.js';
import { STOMP_WS_PROTOCOLS, type Transport } from './raw-client.js';
import type { TestServer } from './test-server.js';
import { AsyncQueue, deferred, DEFAULT_TIMEOUT, withTimeout, type Deferred } from './wait.js';

export interface ClientInit {
  /** [outgoing, incoming] ms; default [0, 0] so tests are not disturbed by heart-beats. */
  heartbeat?: [number, number];
  connectHeaders?: StompHeaders;
  versions?: string[];
  /** Where sync() sends its receipt-carrying SEND. Default '/topic/sync'. */
  syncDestination?: string;
}

/** Messages of one subscription. */
export class Inbox {
  readonly messages = new AsyncQueue<IMessage>();
  subscription!: StompSubscription;

  next(timeout = DEFAULT_TIMEOUT): Promise<IMessage> {
    return this.messages.next(timeout, `a MESSAGE on ${this.subscription?.id}`);
  }

  take(count: number, timeout = DEFAULT_TIMEOUT): Promise<IMessage[]> {
    return this.messages.take(count, timeout, `${count} MESSAGEs on ${this.subscription?.id}`);
  }

  get bodies(): string[] {
    return this.messages.all.map((m) => m.body);
  }
}

let receiptSeq = 0;

/** A real @stomp/stompjs client over WebSocket (ws) or TCP (@stomp/tcp-wrapper), with promise helpers. */
export class TestClient {
  readonly client: Client;
  readonly errors = new AsyncQueue<IFrame>();
  /** MESSAGEs for a subscription this client does not know (e.g. after it unsubscribed). */
  readonly unhandled: IMessage[] = [];
  readonly closed: Deferred<void> = deferred<void>();
  connectedFrame!: IFrame;
  /** The WebSocket of a ws client (to read the negotiated sub-protocol). */
  ws: WebSocket | undefined;

  private constructor(
    readonly transport: Transport,
    ts: TestServer,
    private readonly init: ClientInit,
  ) {
    const [outgoing, incoming] = init.heartbeat ?? [0, 0];
    this.client = new Client({
      webSocketFactory: () => {
        if (transport === 'tcp') return new TCPWrapper('127.0.0.1', ts.tcpPort);
        this.ws = new WebSocket(ts.wsUrl, STOMP_WS_PROTOCOLS);
        return this.ws as unknown as IStompSocket;
      },
      reconnectDelay: 0,
      heartbeatOutgoing: outgoing,
      heartbeatIncoming: incoming,
      connectHeaders: init.connectHeaders ?? {},
      debug: () => undefined,
    });
    if (init.versions) this.client.stompVersions = new Versions(init.versions);
    this.client.onStompError = (frame) => this.errors.push(frame);
    this.client.onWebSocketClose = () => this.closed.resolve();
    this.client.onUnhandledMessage = (message) => this.unhandled.push(message);
    onCleanup(() => this.kill());
  }

  static async connect(ts: TestServer, transport: Transport, init: ClientInit = {}): Promise<TestClient> {
    const test = new TestClient(transport, ts, init);
    const connected = deferred<IFrame>();
    test.client.onConnect = (frame) => connected.resolve(frame);
    test.client.onStompError = (frame) => {
      test.errors.push(frame);
      connected.reject(new Error(`ERROR while connecting: ${frame.headers.message}`));
    };
    test.closed.promise.then(() => connected.reject(new Error('closed while connecting')));
    test.client.activate();
    test.connectedFrame = await withTimeout(connected.promise, DEFAULT_TIMEOUT, `stompjs ${transport} CONNECTED`);
    test.client.onStompError = (frame) => test.errors.push(frame);
    return test;
  }

  get isClosed(): boolean {
    return this.closed.settled;
  }

  /** A fresh receipt id and the promise of its RECEIPT. */
  receipt(): [string, Promise<IFrame>] {
    const id = `r-${this.transport}-${++receiptSeq}`;
    const d = deferred<IFrame>();
    this.client.watchForReceipt(id, (frame) => d.resolve(frame));
    return [id, withTimeout(d.promise, DEFAULT_TIMEOUT, `RECEIPT ${id}`)];
  }

  /** SUBSCRIBE without waiting. */
  subscribeNow(destination: string, headers: StompHeaders = {}): Inbox {
    const inbox = new Inbox();
    inbox.subscription = this.client.subscribe(destination, (message) => inbox.messages.push(message), headers);
    return inbox;
  }

  /** SUBSCRIBE and wait for its RECEIPT (the subscription is in effect when this resolves). */
  async subscribe(destination: string, headers: StompHeaders = {}): Promise<Inbox> {
    const [id, done] = this.receipt();
    const inbox = this.subscribeNow(destination, { ...headers, receipt: id });
    await done;
    return inbox;
  }

  async unsubscribe(inbox: Inbox): Promise<void> {
    const [id, done] = this.receipt();
    inbox.subscription.unsubscribe({ receipt: id });
    await done;
  }

  publishNow(destination: string, body: string | Uint8Array = '', headers: StompHeaders = {}): void {
    if (typeof body === 'string') this.client.publish({ destination, body, headers });
    else this.client.publish({ destination, binaryBody: body, headers });
  }

  /** SEND and wait for its RECEIPT. */
  async publish(destination: string, body: string | Uint8Array = '', headers: StompHeaders = {}): Promise<void> {
    const [id, done] = this.receipt();
    this.publishNow(destination, body, { ...headers, receipt: id });
    await done;
  }

  /**
   * Round trip: every frame this client sent before has taken effect, and every MESSAGE the
   * server queued for this client before that point has arrived (one ordered connection).
   */
  async sync(): Promise<void> {
    await this.publish(this.init.syncDestination ?? '/topic/sync', '');
  }

  /** Graceful: DISCONNECT with receipt, then the socket closes. */
  async disconnect(): Promise<void> {
    await withTimeout(this.client.deactivate(), DEFAULT_TIMEOUT, `stompjs ${this.transport} deactivate`);
  }

  /** Abrupt: drops the socket without DISCONNECT. */
  async kill(): Promise<void> {
    await withTimeout(this.client.deactivate({ force: true }), DEFAULT_TIMEOUT, 'stompjs forced close');
  }

  nextError(timeout = DEFAULT_TIMEOUT): Promise<IFrame> {
    return this.errors.next(timeout, `ERROR on stompjs ${this.transport}`);
  }

  waitClosed(timeout = DEFAULT_TIMEOUT): Promise<void> {
    return withTimeout(this.closed.promise, timeout, `stompjs ${this.transport} connection to close`);
  }
}

export async function connectClient(ts: TestServer, transport: Transport, init?: ClientInit): Promise<TestClient> {
  return TestClient.connect(ts, transport, init);
}

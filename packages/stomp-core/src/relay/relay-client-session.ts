import type { AckMode, BrokerClient, BrokerMessage, Subscription } from '../broker/message-broker.js';
import type { StompFrame, StompHeaders } from '../codec/stomp-frame.js';
import { StompErrorCode } from '../errors/error-codes.js';
import { StompError } from '../errors/stomp.error.js';
import { StompLimitError } from '../errors/stomp-limit.error.js';
import { BrokerConnection, brokerUnavailable, type BrokerConnectionHandler } from './broker-connection.js';
import type { ScannedMessage } from './message-scan.js';
import type { RelayHost, StompBrokerRelayOptions } from './relay-options.js';

/** A subscription held by the external broker, as the session's encoder sees it. */
interface RelaySubscription extends Subscription {
  /** `/user/queue/x` when the client subscribed a user destination (MESSAGE shows it). */
  readonly deliveredAs: string | undefined;
}

/** CONNECT headers the relay sets itself; every other header of the client's CONNECT is passed on (ActiveMQ's `client-id`). */
const OWN_CONNECT_HEADERS = new Set(['accept-version', 'heart-beat', 'host', 'login', 'passcode']);
/** MESSAGE headers the session writes itself (per delivery), and `receipt` (RabbitMQ copies the SEND's, which is ours); the rest reach the client untouched. */
const DELIVERY_HEADERS = new Set(['destination', 'message-id', 'subscription', 'ack', 'content-length', 'redelivered', 'receipt']);
/** Headers of a client frame that steer our side only (receipts are ours, transactions are the session's). */
const LOCAL_HEADERS = new Set(['receipt', 'transaction', 'content-length']);

/**
 * One client session's own connection to the external broker (Spring's relay: one TCP
 * connection per client). Frames pass through with their headers; MESSAGE/RECEIPT/ERROR come
 * back to this client only; a broker ERROR or a lost connection fails this client alone.
 * Backpressure both ways: a client that cannot take more pauses the broker socket; a broker
 * socket that cannot take more pauses reading the client.
 */
export class RelayClientSession implements BrokerConnectionHandler {
  readonly connection: BrokerConnection;
  private readonly subscriptions = new Map<string, RelaySubscription>();
  private brokerPaused = false;
  /** subscriptionId()'s last answer and its bytes. */
  private lastId = '';
  private lastIdBytes: Buffer | undefined;
  private clientPaused = false;
  private closing = false;
  private disconnected = false;
  private readonly maxSubscriptions: number;

  constructor(
    readonly client: BrokerClient,
    options: StompBrokerRelayOptions,
    address: RelayHost,
  ) {
    this.maxSubscriptions = options.maxSubscriptionsPerSession;
    const headers: StompHeaders = {};
    const given = client.connectHeaders;
    if (given !== undefined) for (const name in given) if (!OWN_CONNECT_HEADERS.has(name) && name !== '__proto__') headers[name] = given[name]!;
    // Spring: the client's own login/passcode are replaced by the relay's client credentials.
    headers.login = options.clientLogin;
    headers.passcode = options.clientPasscode;
    if (options.virtualHost !== undefined) headers.host = options.virtualHost;
    this.connection = new BrokerConnection(
      {
        address,
        tls: options.tls,
        connectHeaders: headers,
        heartbeat: options.clientHeartbeat,
        connectTimeout: options.connectTimeout,
        maxFrameSize: options.maxFrameSize,
      },
      this,
    );
  }

  subscribe(id: string, destination: string, ack: AckMode, headers: StompHeaders): void | Promise<void> {
    if (this.subscriptions.has(id)) {
      throw new StompError(StompErrorCode.DUPLICATE_SUBSCRIPTION, `Subscription id '${id}' is already in use`);
    }
    if (this.subscriptions.size >= this.maxSubscriptions) {
      throw new StompLimitError(StompErrorCode.LIMIT_EXCEEDED, `Too many subscriptions (limit ${this.maxSubscriptions})`);
    }
    const asked = headers.destination;
    // A user destination was resolved by the session (`/user/queue/x` → `/queue/x-user<id>`).
    const deliveredAs = asked !== undefined && asked !== destination ? asked : undefined;
    this.subscriptions.set(id, { id, destination, ack, headers, client: this.client, deliveredAs });
    const out = passThrough(headers);
    out.destination = destination;
    out.id = id;
    out.ack = ack;
    return this.forward('SUBSCRIBE', out, undefined, headers.receipt);
  }

  unsubscribe(id: string, headers: StompHeaders | undefined): void | Promise<void> {
    if (!this.subscriptions.delete(id)) {
      throw new StompError(StompErrorCode.UNKNOWN_SUBSCRIPTION, `No subscription with id '${id}'`);
    }
    // RabbitMQ: `durable`/`auto-delete` on UNSUBSCRIBE remove a durable subscription's queue.
    const out = headers === undefined ? {} : passThrough(headers);
    out.id = id;
    delete out.destination;
    return this.forward('UNSUBSCRIBE', out, undefined, headers?.receipt);
  }

  send(message: BrokerMessage, headers: StompHeaders | undefined): void | Promise<void> {
    if (headers !== undefined) {
      const received = this.sendAsIs(message, headers);
      if (received !== undefined) {
        this.connection.sendBytes(received);
        this.afterWrite();
        return;
      }
    }
    // message.headers: everything of the SEND but its control headers (persistent, x-*, content-type).
    const out: StompHeaders = { destination: message.destination, ...message.headers };
    return this.forward('SEND', out, message.body, headers?.receipt);
  }

  /**
   * The client's SEND as it arrived, when passing it on byte for byte gives the broker the frame
   * forward() would build (the same headers and values; repeated headers stay, and STOMP 1.2 has
   * the first win on both sides): both connections speak 1.2 (the same escaping and EOLs), the
   * destination is the client's own (not a resolved user destination), and the frame carries none
   * of the headers our side acts on or drops (`receipt`, `transaction`, `message-id`, `subscription`,
   * `ack`). Saves copying the headers and encoding the frame again, per message.
   */
  private sendAsIs(message: BrokerMessage, headers: StompHeaders): Buffer | undefined {
    if (this.connection.version !== '1.2' || headers.destination !== message.destination) return undefined;
    if (headers.receipt !== undefined || headers.transaction !== undefined) return undefined;
    if (headers['message-id'] !== undefined || headers.subscription !== undefined || headers.ack !== undefined) return undefined;
    return this.client.receivedFrame?.(headers, '1.2');
  }

  /** ACK/NACK: `messageId` is what the client was given as `ack` (the broker's ack id). */
  ack(command: 'ACK' | 'NACK', messageId: string, headers: StompHeaders | undefined): void | Promise<void> {
    const out = headers === undefined ? {} : passThrough(headers);
    delete out['message-id'];
    // STOMP 1.2 names the delivery by `id`; 1.1 by `message-id` (+ `subscription`, passed on).
    if (this.connection.version === '1.2') out.id = messageId;
    else {
      delete out.id;
      out['message-id'] = messageId;
    }
    return this.forward(command, out, undefined, headers?.receipt);
  }

  /** The client's DISCONNECT with a receipt: forwarded, resolved by the broker's RECEIPT (or its going away). */
  disconnect(): Promise<void> {
    this.closing = true; // the broker closes after the RECEIPT: not a failure
    this.disconnected = true;
    return this.connection.request('DISCONNECT', {}, undefined).catch(() => undefined);
  }

  /** The client left: DISCONNECT from the broker (its un-acked messages go back to their queues there). */
  close(): void {
    this.closing = true;
    // After a confirmed DISCONNECT there is nothing left to say to the broker.
    if (this.disconnected) this.connection.destroy();
    else this.connection.disconnect();
  }

  // ---- from the broker ----------------------------------------------------------------------

  onMessage(frame: StompFrame): void {
    const h = frame.headers;
    const subscription = h.subscription === undefined ? undefined : this.subscriptions.get(h.subscription);
    if (subscription === undefined) return; // unsubscribed while it was on its way
    if (!this.forwardAsIs(frame, subscription)) {
      const headers: StompHeaders = {};
      for (const name in h) if (!DELIVERY_HEADERS.has(name) && name !== '__proto__') headers[name] = h[name]!;
      // The body is a view of the connection's read buffer: the message may outlive this call (interceptors).
      const body = frame.body.length === 0 ? frame.body : Buffer.from(frame.body);
      const message: BrokerMessage = { destination: h.destination ?? subscription.destination, headers, body };
      if (subscription.deliveredAs !== undefined) message.deliveredAs = subscription.deliveredAs;
      // The client acks with what it got as message-id/ack (any version): the broker's ack id.
      const brokerId = h['message-id'] ?? '';
      const messageId = subscription.ack === 'auto' ? brokerId : (h.ack ?? brokerId);
      this.client.deliver({ subscription, message, messageId, redelivered: h.redelivered === 'true' });
    }
    this.afterDelivery();
  }

  /**
   * The same decision as forwardAsIs() on a frame that was only scanned (no header map): passed on
   * as received when it qualifies; false and the connection decodes it for onMessage.
   */
  onScannedMessage(buf: Buffer, start: number, scan: ScannedMessage): boolean {
    const forward = this.client.forwardFrame;
    if (forward === undefined || scan.subscriptionStart < 0 || scan.messageIdStart < 0 || !scan.hasDestination || scan.hasReceipt) return false;
    const subscription = this.subscriptions.get(this.subscriptionId(buf, scan.subscriptionStart, scan.subscriptionEnd));
    if (subscription === undefined || subscription.deliveredAs !== undefined) return false;
    // One id to ack with: no `ack`, or one equal to `message-id` (and none on an auto subscription).
    if (scan.ackStart >= 0) {
      if (subscription.ack === 'auto' || scan.ackEnd - scan.ackStart !== scan.messageIdEnd - scan.messageIdStart) return false;
      if (!sameBytes(buf, scan.ackStart, scan.ackEnd, scan.messageIdStart)) return false;
    }
    if (!forward.call(this.client, buf.subarray(start, scan.end), this.connection.version)) return false;
    this.afterDelivery();
    return true;
  }

  /** buf[s, e) as the subscription id string; the last one is kept, as a connection's MESSAGEs mostly name the same few. */
  private subscriptionId(buf: Buffer, s: number, e: number): string {
    const last = this.lastIdBytes;
    if (last !== undefined && last.length === e - s && sameBytes(buf, s, e, 0, last)) return this.lastId;
    // What the decoder would make of these bytes (no backslash in them: nothing to unescape).
    this.lastId = buf.toString('utf8', s, e);
    this.lastIdBytes = Buffer.from(buf.subarray(s, e));
    return this.lastId;
  }

  /** Outbound backpressure: a client that cannot take more pauses its broker connection. */
  private afterDelivery(): void {
    if (!this.brokerPaused && this.client.whenWritable?.(this.resumeBroker) === false) {
      this.brokerPaused = true;
      this.connection.pause();
    }
  }

  onError(frame: StompFrame, tag: string | undefined): void {
    if (this.closing) return;
    this.closing = true;
    const details = frame.body.length > 0 ? frame.body.toString() : undefined;
    const error = new StompError(StompErrorCode.BROKER_ERROR, frame.headers.message ?? 'Broker error', { details });
    this.client.fail?.(error, tag);
  }

  onClose(error: StompError | undefined): void {
    if (this.closing) return;
    this.closing = true;
    this.client.fail?.(error ?? brokerUnavailable('The broker closed the connection'));
  }

  onDrain(): void {
    if (!this.clientPaused) return;
    this.clientPaused = false;
    this.client.resumeReading?.();
  }

  /**
   * Passes the broker's MESSAGE to the client byte for byte when rewriting it would give an
   * equivalent frame (the same headers and values, in the broker's order, `redelivered:false`
   * included): the session speaks the broker connection's STOMP version (same escaping), the broker
   * used the client's own subscription id (the relay subscribes with it), the destination is not a
   * user destination shown as `/user/...`, there is no `receipt` (RabbitMQ copies the SEND's, ours),
   * and the client gets one id to ack with (no `ack` header, or one equal to `message-id`). The
   * session declines when it must see the frame (interceptors, MESSAGE rules). Saves copying the
   * headers into a message and encoding the frame again, per delivery (the header map is still
   * decoded: finding the frame's end and its subscription needs it).
   */
  private forwardAsIs(frame: StompFrame, subscription: RelaySubscription): boolean {
    const forward = this.client.forwardFrame;
    if (forward === undefined || subscription.deliveredAs !== undefined) return false;
    const h = frame.headers;
    const messageId = h['message-id'];
    if (messageId === undefined || h.destination === undefined || h.receipt !== undefined) return false;
    const ack = h.ack;
    if (ack !== undefined && (ack !== messageId || subscription.ack === 'auto')) return false;
    const bytes = this.connection.frameView();
    return bytes !== undefined && forward.call(this.client, bytes, this.connection.version);
  }

  private readonly resumeBroker = (): void => {
    this.brokerPaused = false;
    this.connection.resume();
  };

  private forward(command: string, headers: StompHeaders, body: Buffer | undefined, receipt: string | undefined): void | Promise<void> {
    let pending: Promise<void> | undefined;
    if (receipt !== undefined) pending = this.connection.request(command, headers, body, receipt);
    else this.connection.send(command, headers, body);
    this.afterWrite();
    return pending;
  }

  /** Inbound backpressure: a broker socket that cannot take more pauses reading the client. */
  private afterWrite(): void {
    if (!this.clientPaused && !this.connection.writable) {
      this.clientPaused = true;
      this.client.pauseReading?.();
    }
  }
}

/** Whether buf[s, e) equals the bytes at `at` of `other` (default: of buf itself). */
function sameBytes(buf: Buffer, s: number, e: number, at: number, other: Buffer = buf): boolean {
  for (let i = 0; i < e - s; i++) if (buf[s + i] !== other[at + i]) return false;
  return true;
}

/** A client frame's headers minus what only our side acts on. */
function passThrough(headers: StompHeaders): StompHeaders {
  const out: StompHeaders = {};
  for (const name in headers) if (!LOCAL_HEADERS.has(name) && name !== '__proto__') out[name] = headers[name]!;
  return out;
}

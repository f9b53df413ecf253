import type { IncomingMessage } from 'node:http';
import type { BrokerClient, BrokerMessage, Delivery } from '../broker/message-broker.js';
import { StompDecoder, type StompDecoderHandler } from '../codec/stomp-decoder.js';
import {
  HEARTBEAT_EOL,
  cachedMessageTail,
  deliveryLines,
  encodeFrame,
  messageHead,
  messageIdLine,
  messageTail,
  prepareMessageTail,
  sequenceLinesLength,
  subscriptionHead,
  writeMessageTail,
  writeSequenceLines,
} from '../codec/stomp-encoder.js';
import type { StompFrame, StompHeaders, StompVersion } from '../codec/stomp-frame.js';
import { StompErrorCode } from '../errors/error-codes.js';
import { StompError } from '../errors/stomp.error.js';
import { StompLimitError } from '../errors/stomp-limit.error.js';
import type { DestinationRules } from '../security/destination-rules.js';
import type { StompConnection, StompConnectionEvents } from '../transport/stomp-connection.js';
import { applyPostSend, applyPreSend, messageFrame, sendIntercepted, type ChannelInterceptor } from './channel-interceptor.js';
import type { CommandHandler } from './handlers/command-handler.js';
import { COMMAND_HANDLERS } from './handlers/index.js';
import type { SessionHost } from './session-host.js';
import type { HeartbeatMember } from './heartbeat-scheduler.js';
import { OutboundBuffer } from './outbound-buffer.js';
import { TransactionBuffer } from './transaction-buffer.js';
import { toStompError } from './to-stomp-error.js';
import { SessionState } from './session-state.js';
import { CompactMap } from '../util/compact-map.js';

export { SessionState };


/** A client principal, set by authentication (server option `authenticate`) — its name addresses /user destinations. */
export interface StompPrincipal {
  readonly name: string;
  readonly [key: string]: unknown;
}

const EMPTY = Buffer.alloc(0);
/** Frames waiting behind an unfinished async handler before the session stops reading. */
const MAX_INBOX = 256;

/**
 * One STOMP connection's protocol state: CONNECT negotiation, heart-beats, receipts, transactions,
 * ERROR-then-close, per-session ordering, and the outbound buffer with its limits. Transport-agnostic:
 * it sees only a StompConnection.
 */
export class StompSession implements BrokerClient {
  readonly id: string;
  state = SessionState.Connecting;
  version: StompVersion = '1.2';
  principal: StompPrincipal | undefined = undefined;
  /** Free-form per-session data for the application (Spring's session attributes). */
  get attributes(): Map<string, unknown> {
    return (this.lazyAttributes ??= new Map());
  }
  /** The CONNECT frame's headers, once connected. */
  connectHeaders: StompHeaders | undefined = undefined;
  /** The open transactions (BEGIN … COMMIT/ABORT); made on first use. */
  get transactions(): TransactionBuffer {
    const options = this.host.options;
    return (this.lazyTransactions ??= new TransactionBuffer(options.maxTransactionsPerSession, options.maxFramesPerTransaction));
  }
  /** Ids of SUBSCRIBEs answered by the application (not held by the broker), so UNSUBSCRIBE of them is harmless. */
  get applicationSubscriptions(): Set<string> {
    return (this.lazyApplicationSubscriptions ??= new Set());
  }
  /** Why the session ended, when it was not a clean DISCONNECT. */
  closeError: StompError | undefined = undefined;
  /** The client sent DISCONNECT (set by its handler): the session did not end by a dropped connection or an error. */
  disconnected = false;
  /** Subscription id → destination as the client subscribed it (broker and application subscriptions). */
  readonly subscriptions = new CompactMap<string>();
  /** Broker destinations resolved from user destinations for this session (`/queue/x-user<id>`): dropped when it closes. */
  get resolvedDestinations(): Set<string> {
    return (this.lazyResolvedDestinations ??= new Set());
  }
  /** The resolved destinations, undefined when there never were any (closing need not make the Set). */
  get resolvedDestinationsIfAny(): ReadonlySet<string> | undefined {
    return this.lazyResolvedDestinations;
  }

  // Made on first use: an idle session holds none of them (memory per idle connection).
  // Every field is given a value here, even undefined: a property added later would move the
  // object's fields out of line (a separate property array per session).
  private lazyAttributes: Map<string, unknown> | undefined = undefined;
  private lazyApplicationSubscriptions: Set<string> | undefined = undefined;
  private lazyResolvedDestinations: Set<string> | undefined = undefined;
  private lazyTransactions: TransactionBuffer | undefined = undefined;

  private readonly decoder: StompDecoder;
  /** Bytes written during this turn, sent by flush(). */
  private readonly out = new OutboundBuffer();
  private flushScheduled = false;
  /** The scheduled flush is DeliveryLinger's (MESSAGEs waiting for the next ones), not this turn's. */
  private lingering = false;
  /** performance.now() of the last write, kept only with a delivery linger. */
  private lastFlushAt = 0;
  /** The decoder's, the connection's and the heart-beat scheduler's way back in (see Callbacks). */
  private readonly callbacks: InstanceType<typeof StompSession.Callbacks>;
  /** Negotiated heart-beat intervals in ms (0: off) while the host's scheduler holds this session. */
  private sendEvery = 0;
  private expectEvery = 0;
  private inbox: StompFrame[] | undefined = undefined;
  private busy = false;
  private brokerAttached = false;
  private blockedTimer: NodeJS.Timeout | undefined = undefined;
  /** The header map of the frame the decoder is handing over right now (see receivedFrame). */
  private decodingHeaders: StompHeaders | undefined = undefined;
  /** Relay backpressure: who waits for room in the send buffer, and how often reading was paused. */
  private writableWaiters: (() => void)[] | undefined = undefined;
  private readPaused = 0;
  /** Undefined without interceptors: then no frame views are built at all. */
  private readonly interceptors: readonly ChannelInterceptor[] | undefined;
  /** Destination rules; undefined without any: then no frame is checked at all. */
  private readonly rules: DestinationRules | undefined;
  /** The rules again when some rule names MESSAGE, else undefined: deliveries stay unchecked. */
  private readonly deliveryRules: DestinationRules | undefined;

  constructor(
    readonly connection: StompConnection,
    readonly host: SessionHost,
    /** The HTTP upgrade request of a WebSocket session (headers, cookies, URL); undefined over TCP. */
    readonly upgradeRequest?: IncomingMessage,
  ) {
    this.id = host.newSessionId();
    const options = host.options;
    this.interceptors = options.interceptors !== undefined && options.interceptors.length > 0 ? [...options.interceptors] : undefined;
    this.rules = host.rules;
    this.deliveryRules = host.rules?.filtersMessages === true ? host.rules : undefined;
    const callbacks = (this.callbacks = new SessionCallbacks(this));
    this.decoder = new StompDecoder(callbacks, { limits: options.limits });
    connection.bind(callbacks);
    // Server option timeToFirstFrame: the host's one timer for all sessions still waiting.
    host.connectDeadlines?.add(this);
  }

  get remoteAddress(): string | undefined {
    return this.connection.remoteAddress;
  }

  get transport(): string {
    return this.connection.transport;
  }

  /**
   * Called by the CONNECT handler once the session is accepted (it then sends CONNECTED and tells
   * the host). A Promise when the broker attaches the session asynchronously (a relay connects to
   * the external broker first): CONNECTED waits for it, a refusal becomes the CONNECT's ERROR.
   */
  accept(version: StompVersion, connectHeaders: StompHeaders, sendEvery: number, expectEvery: number): void | Promise<void> {
    this.version = version;
    this.decoder.version = version;
    this.connectHeaders = connectHeaders;
    this.brokerAttached = true; // from here on, closing detaches it (also while it attaches)
    const attaching = this.host.broker.addClient(this);
    if (attaching === undefined) return this.connected(sendEvery, expectEvery);
    return attaching.then(() => {
      if (this.state === SessionState.Connecting) this.connected(sendEvery, expectEvery);
    });
  }

  private connected(sendEvery: number, expectEvery: number): void {
    this.state = SessionState.Connected;
    this.host.connectDeadlines?.delete(this);
    this.sendEvery = sendEvery;
    this.expectEvery = expectEvery;
    this.host.heartbeatScheduler.start(this.callbacks, sendEvery, expectEvery);
  }

  // ---- inbound ------------------------------------------------------------------------------

  private onFrame(frame: StompFrame): void {
    if (this.state >= SessionState.Closing) return;
    if (this.busy) {
      // Keep the session's order: later frames wait for the unfinished async handler.
      (this.inbox ??= []).push(frame);
      if (this.inbox.length === MAX_INBOX && this.readPaused === 0) this.connection.pause();
      return;
    }
    this.process(frame);
  }

  private process(received: StompFrame): void {
    const interceptors = this.interceptors;
    let frame: StompFrame | null = received;
    let pending: void | Promise<void>;
    try {
      if (interceptors !== undefined) frame = applyPreSend(interceptors, received, this, 'inbound');
      if (frame === null) return; // dropped by an interceptor: silently, no RECEIPT
      pending = this.dispatch(frame);
      if (!pending && interceptors !== undefined) applyPostSend(interceptors, frame, this, 'inbound');
    } catch (error) {
      this.fail(toStompError(error), (frame ?? received).headers.receipt);
      return;
    }
    if (!pending) return;
    const taken = frame;
    // Later frames wait for an async handler (preserveReceiveOrder), and always for an async
    // CONNECT (authentication): nothing may run before the session is connected.
    const ordered = this.host.options.preserveReceiveOrder || taken.command === 'CONNECT' || taken.command === 'STOMP';
    if (ordered) this.busy = true;
    pending.then(
      () => {
        if (interceptors !== undefined) {
          try {
            applyPostSend(interceptors, taken, this, 'inbound');
          } catch (error) {
            this.fail(toStompError(error), taken.headers.receipt);
            return;
          }
        }
        if (ordered) this.resumeInbox();
      },
      (error: unknown) => this.fail(toStompError(error), taken.headers.receipt),
    );
  }

  private resumeInbox(): void {
    this.busy = false;
    const inbox = this.inbox;
    while (inbox && inbox.length > 0 && !this.busy && this.state < SessionState.Closing) {
      if (inbox.length === MAX_INBOX && this.readPaused === 0) this.connection.resume();
      this.process(inbox.shift()!);
    }
  }

  /** Runs one frame's handler, then its receipt (STOMP: RECEIPT once the frame took effect). */
  dispatch(frame: StompFrame): void | Promise<void> {
    const handler = COMMAND_HANDLERS.get(frame.command);
    if (!handler) {
      throw new StompError(StompErrorCode.UNKNOWN_COMMAND, `Unknown command: ${frame.command.slice(0, 64)}`);
    }
    if (this.state === SessionState.Connecting && !handler.beforeConnect) {
      throw new StompError(StompErrorCode.NOT_CONNECTED, `${frame.command} before CONNECT`);
    }
    // STOMP 1.2: only SEND, MESSAGE and ERROR frames may have a body.
    if (frame.body.length > 0 && frame.command !== 'SEND') {
      throw new StompError(StompErrorCode.BODY_NOT_ALLOWED, `A ${frame.command} frame must not have a body`);
    }
    // Destination rules, before any effect (CONNECT is checked once authenticated, in its handler).
    if (this.rules !== undefined && !handler.beforeConnect) {
      const checked = this.rules.enforce(this, frame);
      if (checked) return checked.then(() => (this.state === SessionState.Connected ? this.run(handler, frame) : undefined));
    }
    return this.run(handler, frame);
  }

  private run(handler: CommandHandler, frame: StompFrame): void | Promise<void> {
    const pending = handler.handle(this, frame);
    if (pending) return pending.then(() => this.receipt(frame));
    this.receipt(frame);
  }

  private receipt(frame: StompFrame): void {
    const receipt = frame.headers.receipt;
    // CONNECT takes no receipt (its answer is CONNECTED); DISCONNECT answers its own.
    if (receipt !== undefined && this.state === SessionState.Connected && frame.command !== 'CONNECT' && frame.command !== 'STOMP') {
      this.sendFrame('RECEIPT', { 'receipt-id': receipt });
    }
  }

  // ---- outbound -----------------------------------------------------------------------------

  /** BrokerClient: one MESSAGE for one subscription; head per delivery, body encoded once per message. */
  deliver(delivery: Delivery): void {
    if (this.state !== SessionState.Connected) return;
    const subscription = delivery.subscription;
    if (this.deliveryRules !== undefined && !this.deliveryRules.permitsDelivery(this, delivery)) return this.withhold(delivery);
    if (this.interceptors !== undefined) {
      const ack = subscription.ack === 'auto' ? undefined : delivery.messageId;
      sendIntercepted(this.interceptors, messageFrame(subscription.id, delivery.messageId, ack, delivery.redelivered, delivery.message), this);
      return;
    }
    const message = delivery.message;
    // Nothing is encoded per subscriber on a fan-out: the head is cached per subscription, the
    // tail per message, and auto deliveries share the message's cached id line.
    const head = (subscription.encodedHead ??= subscriptionHead(subscription.id, this.version));
    const sequence = delivery.sequence;
    if (sequence === undefined || sequence < 0 || delivery.redelivered) {
      const out = this.out;
      out.push(head);
      if (subscription.ack === 'auto' && delivery.messageId === message.id) {
        out.push(messageIdLine(message as BrokerMessage & { id: string }));
      } else {
        const ack = subscription.ack === 'auto' ? undefined : delivery.messageId;
        out.push(deliveryLines(delivery.messageId, ack, delivery.redelivered, this.version));
      }
      out.push(messageTail(message, this.version));
      this.queuedDelivery();
      return;
    }
    // A broker-made id: the whole MESSAGE goes into the outbound slab, its id digits written in
    // place, and a message for this subscriber alone (a queue's) is encoded there too.
    const withAck = subscription.ack !== 'auto';
    const tail = delivery.single === true ? cachedMessageTail(message, this.version) : messageTail(message, this.version);
    const lines = sequenceLinesLength(sequence, withAck);
    const length = head.length + lines + (tail === undefined ? prepareMessageTail(message, this.version) : tail.length);
    const out = this.out;
    const slab = out.room(length);
    let at = out.end;
    slab.set(head, at);
    at = writeSequenceLines(slab, at + head.length, sequence, withAck);
    if (tail === undefined) writeMessageTail(slab, at, message.body);
    else slab.set(tail, at);
    out.commit(length);
    this.queuedDelivery();
  }

  /** BrokerClient (relay): a MESSAGE passed on as the external broker sent it, copied into the outbound slab. */
  forwardFrame(frame: Buffer, version: StompVersion): boolean {
    if (this.state !== SessionState.Connected) return true; // dropped, as deliver() would
    if (version !== this.version || this.interceptors !== undefined || this.deliveryRules !== undefined) return false;
    const out = this.out;
    const length = frame.length;
    out.room(length).set(frame, out.end);
    out.commit(length);
    this.queuedDelivery();
    return true;
  }

  /** BrokerClient (relay): the frame being decoded, as received, for a relay to pass on (a SEND to the broker). */
  receivedFrame(headers: StompHeaders, version: StompVersion): Buffer | undefined {
    // Identity, not equality: COMMIT replays its SENDs while the decoder holds the COMMIT frame.
    if (headers !== this.decodingHeaders || version !== this.version || this.interceptors !== undefined) return undefined;
    return this.decoder.frameView();
  }

  /**
   * A delivery MESSAGE rules denied: this subscription consumed it without seeing it. In
   * client-individual mode it is acknowledged for the client (after the broker's dispatch turn); in
   * client mode the client's next cumulative ACK covers it; auto needs nothing.
   */
  private withhold(delivery: Delivery): void {
    if (delivery.subscription.ack !== 'client-individual') return;
    queueMicrotask(() => {
      try {
        // A relay may answer with a Promise: its failure means the same as a throw here.
        if (this.state === SessionState.Connected) this.host.broker.ack(this, delivery.messageId)?.catch(ignore);
      } catch {
        // Gone meanwhile (unsubscribed, closed): the broker already took it back.
      }
    });
  }

  /**
   * A MESSAGE straight to one subscription of this session, bypassing the broker (subscribe
   * replies). Use message ids with a prefix (e.g. 'r-'): broker ids are plain counters.
   */
  sendMessage(subscriptionId: string, message: BrokerMessage, messageId: string): void {
    if (this.state !== SessionState.Connected) return;
    if (this.interceptors !== undefined) {
      sendIntercepted(this.interceptors, messageFrame(subscriptionId, messageId, undefined, false, message), this);
      return;
    }
    this.send(messageHead(subscriptionId, messageId, undefined, this.version));
    this.send(messageTail(message, this.version));
  }

  sendFrame(command: string, headers: StompHeaders, body?: Buffer | string): void {
    if (this.interceptors !== undefined) {
      const bytes = body === undefined ? EMPTY : typeof body === 'string' ? Buffer.from(body) : body;
      sendIntercepted(this.interceptors, { command, headers, body: bytes }, this);
      return;
    }
    this.send(encodeFrame(command, headers, body, this.version));
  }

  /** Queues bytes; they leave in one write with everything else queued during this turn. */
  send(chunk: Buffer): void {
    if (this.state === SessionState.Closed) return;
    this.out.push(chunk);
    this.queued();
  }

  /** After bytes were queued: one flush per turn (sooner than a lingering one), and the send-buffer limit. */
  private queued(): void {
    if (!this.flushScheduled || this.lingering) {
      this.flushScheduled = true;
      this.lingering = false;
      this.host.scheduleFlush(this);
    }
    this.checkSendBuffer();
  }

  /**
   * After a MESSAGE was queued: like queued(), but on a relay with `linger` a session flushed less
   * than that long ago waits for the MESSAGEs after it (see DeliveryLinger), until a socket read's
   * worth is queued. RECEIPT, ERROR and the like never wait (queued() moves the flush to this turn).
   */
  private queuedDelivery(): void {
    const linger = this.host.deliveryLinger;
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      if (linger !== undefined && performance.now() - this.lastFlushAt < linger.ms) {
        this.lingering = true;
        linger.add(this);
      } else {
        this.host.scheduleFlush(this);
      }
    } else if (this.lingering && this.out.length >= LINGER_ENOUGH) {
      this.lingering = false;
      this.host.scheduleFlush(this);
    }
    this.checkSendBuffer();
  }

  private checkSendBuffer(): void {
    if (this.out.length + this.connection.bufferedAmount > this.host.options.sendBufferSizeLimit) {
      this.slowConsumer(`Send buffer limit exceeded (${this.host.options.sendBufferSizeLimit} bytes)`);
    }
  }

  flush(): void {
    const lingered = this.lingering;
    this.flushScheduled = false;
    this.lingering = false;
    if (this.out.length === 0 || this.state === SessionState.Closed) {
      // whenWritable() said no while MESSAGEs lingered: with nothing left to write, say yes now.
      if (this.writableWaiters !== undefined && this.state !== SessionState.Closed && this.hasRoom()) this.wakeWriters();
      return;
    }
    // A lingering flush does not count as a recent write: what the relay reads once it resumes the
    // broker connection has waited already, and leaves in the turn (at most one linger of delay).
    if (this.host.deliveryLinger !== undefined) this.lastFlushAt = lingered ? 0 : performance.now();
    const chunk = this.out.take();
    if (this.sendEvery > 0) this.callbacks.lastWriteAt = Date.now();
    if (this.connection.write(chunk)) {
      if (this.writableWaiters !== undefined) this.wakeWriters();
    } else if (!this.blockedTimer && this.state !== SessionState.Closing) {
      const limit = this.host.options.sendTimeLimit;
      this.blockedTimer = setTimeout(
        () => this.slowConsumer(`Client did not read for ${limit} ms (send time limit)`),
        limit,
      ).unref();
    }
  }

  private onDrain(): void {
    clearTimeout(this.blockedTimer);
    this.blockedTimer = undefined;
    this.wakeWriters();
  }

  /**
   * BrokerClient (relay): true when the client can take more; else `resume` runs once it can. Also
   * false while MESSAGEs linger: the relay then stops reading the broker until they are written, and
   * what the broker sends meanwhile comes in one read instead of one read per MESSAGE or two (each
   * read is a wake-up of this process, its largest cost per MESSAGE).
   */
  whenWritable(resume: () => void): boolean {
    if (!this.lingering && this.hasRoom()) return true;
    (this.writableWaiters ??= []).push(resume);
    return false;
  }

  private hasRoom(): boolean {
    return this.out.length + this.connection.bufferedAmount < this.host.options.sendBufferSizeLimit / 2;
  }

  private wakeWriters(): void {
    const waiters = this.writableWaiters;
    if (waiters === undefined) return;
    this.writableWaiters = undefined;
    for (const resume of waiters) resume();
  }

  /** BrokerClient (relay): inbound backpressure, kept apart from the inbox's own pause. */
  pauseReading(): void {
    if (this.readPaused++ === 0 && !(this.inbox !== undefined && this.inbox.length >= MAX_INBOX)) this.connection.pause();
  }

  resumeReading(): void {
    if (this.readPaused === 0) return;
    if (--this.readPaused === 0 && !(this.inbox !== undefined && this.inbox.length >= MAX_INBOX)) this.connection.resume();
  }

  private slowConsumer(message: string): void {
    if (this.state >= SessionState.Closing) return;
    // Its buffer is full: an ERROR frame would queue behind it. Drop the connection now.
    this.closeError = new StompLimitError(StompErrorCode.SLOW_CONSUMER, message);
    this.beginClosing();
    this.connection.destroy();
  }

  // ---- ending -------------------------------------------------------------------------------

  /** Protocol or limit failure: ERROR frame (STOMP: server MUST close right after ERROR), then close. */
  fail(error: StompError, receiptId?: string): void {
    if (this.state >= SessionState.Closing) return;
    this.closeError = error;
    const headers: StompHeaders = { message: error.message, 'content-type': 'text/plain' };
    if (receiptId !== undefined) headers['receipt-id'] = receiptId;
    // STOMP 1.2: an ERROR for a failed version negotiation names the versions the server speaks.
    if (error.code === StompErrorCode.UNSUPPORTED_VERSION) headers.version = '1.0,1.1,1.2';
    this.sendFrame('ERROR', headers, error.details ?? error.message);
    this.beginClosing();
    this.flush();
    // WebSocket close code: 1001 "going away" for a shutdown, 1002 "protocol error" otherwise.
    this.connection.end(error.code === StompErrorCode.SERVER_SHUTDOWN ? 1001 : 1002, error.code);
  }

  /** DISCONNECT (receipt first, then close) or server shutdown without an error. */
  close(receiptId?: string): void {
    if (this.state >= SessionState.Closing) return;
    if (receiptId !== undefined) this.sendFrame('RECEIPT', { 'receipt-id': receiptId });
    this.beginClosing();
    this.flush();
    this.connection.end(1000);
  }

  /** Stops taking part in messaging at once: no delivery may reach a session that is going away. */
  private beginClosing(): void {
    this.state = SessionState.Closing;
    this.stopTimers();
    this.lazyTransactions?.clear();
    this.inbox = undefined;
    if (this.brokerAttached) {
      this.brokerAttached = false;
      this.host.broker.removeClient(this);
    }
  }

  private onClose(error?: StompError): void {
    if (this.state === SessionState.Closed) return;
    if (this.state !== SessionState.Closing) {
      this.closeError ??= error;
      this.beginClosing();
    }
    this.state = SessionState.Closed;
    clearTimeout(this.blockedTimer);
    this.out.clear();
    this.host.sessionClosed(this, this.closeError);
  }

  private stopTimers(): void {
    this.host.connectDeadlines?.delete(this);
    if (this.sendEvery > 0 || this.expectEvery > 0) {
      this.host.heartbeatScheduler.stop(this.callbacks, this.sendEvery, this.expectEvery);
      this.sendEvery = this.expectEvery = 0;
    }
  }

  /**
   * What the decoder, the connection and the heart-beat scheduler call back into: the methods of
   * one small object per session rather than a closure per callback (closures and their contexts
   * were most of what an idle session held). Nested here so it may call the session's private
   * members. @internal
   */
  static readonly Callbacks = class SessionCallbacks implements StompDecoderHandler, StompConnectionEvents, HeartbeatMember {
    /** Date.now() of the last bytes read and written; kept only while heart-beating that way. */
    lastReadAt = 0;
    lastWriteAt = 0;

    constructor(readonly session: StompSession) {}

    beat(): void {
      this.session.connection.write(HEARTBEAT_EOL);
    }

    silent(ms: number): void {
      this.session.fail(new StompError(StompErrorCode.HEARTBEAT_TIMEOUT, `No heart-beat from the client for ${ms} ms`));
    }

    onFrame(frame: StompFrame): void {
      const session = this.session;
      session.decodingHeaders = frame.headers;
      // finally: a frame whose handling threw must not stay "the one being decoded" for a later,
      // asynchronous use of its headers, which would then be handed the next frame's bytes.
      try {
        session.onFrame(frame);
      } finally {
        session.decodingHeaders = undefined;
      }
    }

    onHeartbeat(): void {}

    onError(error: StompError): void {
      this.session.fail(error);
    }

    data(chunk: Buffer): void {
      const session = this.session;
      if (session.expectEvery > 0) this.lastReadAt = Date.now();
      session.decoder.write(chunk);
    }

    drain(): void {
      this.session.onDrain();
    }

    close(error?: StompError): void {
      this.session.onClose(error);
    }
  };
}

/** Queued bytes past which lingering MESSAGEs leave in this turn: what one socket read takes (64 KiB). */
const LINGER_ENOUGH = 64 * 1024;

const SessionCallbacks = StompSession.Callbacks;

function ignore(): void {}

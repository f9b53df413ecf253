import type { StompHeaders, StompVersion } from '../codec/stomp-frame.js';
import type { StompError } from '../errors/stomp.error.js';

/** STOMP ack modes (SUBSCRIBE `ack` header). `auto` is the default. */
export type AckMode = 'auto' | 'client' | 'client-individual';

/**
 * A message inside the broker: what a SEND carried, minus the frame-control headers
 * (`destination` is a field; `content-length`, `receipt`, `transaction` are dropped).
 * `headers` holds every other header of the SEND untouched (user headers, `content-type`).
 * One BrokerMessage is shared by every delivery of it: its encoded form is cached on it
 * (`encoded`, filled by the encoder) so a fan-out encodes the body once, not per subscriber.
 */
export interface BrokerMessage {
  destination: string;
  headers: StompHeaders;
  body: Buffer;
  /**
   * Set on messages resolved from a user destination (`/user/...`): the MESSAGE `destination`
   * header clients see (`/user/queue/x`) instead of the internal `destination`
   * (`/queue/x-user<sessionId>`). Such a message reaches exact subscriptions of `destination` only,
   * never pattern subscriptions. Fixed for the message's life (the encoder cache relies on it).
   */
  deliveredAs?: string;
  /** Encoder cache: shared MESSAGE tail per escaping flavour (index 0: 1.0, 1: 1.1, 2: 1.2). */
  encoded?: (Buffer | undefined)[];
  /**
   * Set by the broker on a topic message: the `message-id` every auto-ack delivery of it shares
   * (unique per message, as STOMP asks; acked deliveries get ids of their own).
   */
  id?: string;
  /** Encoder cache: the `message-id:<id>` line of `id`. */
  idLine?: Buffer;
}

/** A subscription as the broker sees it. */
export interface Subscription {
  /** SUBSCRIBE `id` (1.0 without id: the destination). Unique per client. */
  readonly id: string;
  /** As subscribed: may be a pattern (`/topic/price.*`). */
  readonly destination: string;
  readonly ack: AckMode;
  /** All SUBSCRIBE headers, for broker extensions (e.g. `prefetch-count`). */
  readonly headers: StompHeaders;
  readonly client: BrokerClient;
  /** Encoder cache of the session: `MESSAGE` + this subscription's `subscription` line. */
  encodedHead?: Buffer;
}

/** One MESSAGE to write to one subscription. */
export interface Delivery {
  readonly subscription: Subscription;
  readonly message: BrokerMessage;
  /**
   * The MESSAGE `message-id`. For client and client-individual subscriptions it is unique among
   * this client's deliveries and is also the `ack` header: ACK/NACK name it (`id` in 1.2,
   * `message-id` in 1.0/1.1). Auto deliveries of one topic message share the message's id
   * (`BrokerMessage.id`): nothing acks them, and `subscription` tells them apart.
   */
  readonly messageId: string;
  /**
   * Set by the embedded broker: when it is 0 or more, `messageId` is its decimal form (the
   * client's delivery sequence), and the session writes the digits without making the string.
   */
  readonly sequence?: number;
  /**
   * True when this delivery is the message's only one (a queue hands each message to one
   * consumer): the session encodes it straight into its output instead of caching its encoding on
   * the message for other subscribers.
   */
  readonly single?: boolean;
  /** True when this message was delivered before and came back (NACK, unsubscribe, disconnect). */
  readonly redelivered: boolean;
}

/** What the broker needs of a session. Implemented by the STOMP session. */
export interface BrokerClient {
  readonly id: string;
  /** Write one MESSAGE now. Never throws; a client that cannot keep up closes itself. */
  deliver(delivery: Delivery): void;
  // The members below serve a relay (an external broker behind the session); the embedded
  // broker never calls them.
  /** The CONNECT frame's headers (a relay forwards some of them to the external broker). */
  readonly connectHeaders?: StompHeaders | undefined;
  /** Ends the session with an ERROR frame (a broker ERROR or a lost broker connection). */
  fail?(error: StompError, receiptId?: string): void;
  /**
   * Outbound backpressure: true when the client can take more now; otherwise false, and
   * `resume` is called once when its buffers have room again (the relay pauses the broker).
   */
  whenWritable?(resume: () => void): boolean;
  /**
   * A MESSAGE frame exactly as the client is to get it (a relay passing the external broker's frame
   * on as it is), encoded for STOMP `version`. Copies `frame` before it returns (it is a view of a
   * read buffer). False, with nothing written, when the session must build the frame itself
   * (another version, interceptors, MESSAGE rules): the caller then calls deliver().
   */
  forwardFrame?(frame: Buffer, version: StompVersion): boolean;
  /**
   * The other way: the client's frame whose header map is `headers`, as the client sent it (command
   * line to NUL), when the client speaks STOMP `version` and that frame is the one being handled
   * now, in the turn it was read, unchanged (no inbound interceptors). Undefined otherwise (a frame
   * cut across reads, replayed by COMMIT, or handled after an async step). A view of the
   * transport's chunk, which nothing writes again: a relay may queue it for its broker socket.
   */
  receivedFrame?(headers: StompHeaders, version: StompVersion): Buffer | undefined;
  /** Inbound backpressure: stop / restart reading the client (the broker cannot take more). */
  pauseReading?(): void;
  resumeReading?(): void;
}

/**
 * The frame behind a broker call, as the client sent it: a relay forwards its headers untouched
 * (`persistent`, `durable`, `selector`, `x-*`) and, when it carries `receipt`, answers only once
 * the external broker confirmed. The embedded broker ignores it.
 */
export type FrameHeaders = StompHeaders;

/**
 * The broker seen from a session: the embedded broker (SimpleBroker) and the relay to an external
 * broker (StompBrokerRelay) implement it. Methods throw a StompError (stable `code`) when the
 * request cannot take effect; the session turns it into an ERROR frame. Methods marked "may
 * return a Promise" do so only on a relay, and only when the frame asked for a receipt: the
 * session sends its RECEIPT once the Promise resolves. The embedded broker stays synchronous.
 */
export interface MessageBroker {
  /** True when `destination` belongs to the broker (matches one of its prefixes). */
  isBrokerDestination(destination: string): boolean;
  /** A session connected. May return a Promise (a relay opens the client's broker connection; CONNECTED waits for it). */
  addClient(client: BrokerClient): void | Promise<void>;
  /** Drops the client's subscriptions; its unacknowledged queue messages go back to their queues. */
  removeClient(client: BrokerClient): void;
  /** Throws DUPLICATE_SUBSCRIPTION, LIMIT_EXCEEDED, INVALID_HEADER (bad destination/pattern). */
  subscribe(client: BrokerClient, id: string, destination: string, ack: AckMode, headers: StompHeaders): void | Promise<void>;
  /** Stops delivery at once; unacked queue messages go back to the queue. Throws UNKNOWN_SUBSCRIPTION. May return a Promise. */
  unsubscribe(client: BrokerClient, id: string, headers?: FrameHeaders): void | Promise<void>;
  /**
   * Routes a message: fan-out on topics, one consumer on queues. Throws QUEUE_FULL. `client`: the
   * session that sent it (a relay sends it over that session's broker connection; absent: the
   * application's). May return a Promise.
   */
  publish(message: BrokerMessage, client?: BrokerClient, headers?: FrameHeaders): void | Promise<void>;
  /** Throws UNKNOWN_ACK when `messageId` is not pending for this client. May return a Promise. */
  ack(client: BrokerClient, messageId: string, headers?: FrameHeaders): void | Promise<void>;
  /** Returns the message(s) to their queue for redelivery (topics: dropped). Throws UNKNOWN_ACK. May return a Promise. */
  nack(client: BrokerClient, messageId: string, headers?: FrameHeaders): void | Promise<void>;
  /**
   * Discards what a queue holds for nobody (a closed session's user queue): its waiting messages
   * go, and the queue with them unless a consumer or an unacknowledged delivery still keeps it.
   * A destination without a queue (a topic) is ignored.
   */
  dropQueue(destination: string): void;
  /**
   * A DISCONNECT asking for a receipt (relay only): resolves once the external broker confirmed
   * it processed everything the client sent before (the broker's RECEIPT for the DISCONNECT).
   */
  disconnectClient?(client: BrokerClient): Promise<void> | undefined;
  /**
   * A relay shared by several app instances: sends a user-destination message to the other
   * instances, which deliver it to their own sessions of `user`. Returns false when it does not
   * broadcast. The embedded broker has no such method.
   */
  broadcastToUser?(user: string, destination: string, headers: StompHeaders, body: Buffer, sessionId?: string): boolean;
  /** Releases everything (server shutdown). */
  close(): void;
}

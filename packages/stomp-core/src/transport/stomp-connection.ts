import type { StompError } from '../errors/stomp.error.js';

/**
 * The transport seam (aedes' `handle(stream)`): a session talks to its peer only through this,
 * so the protocol core runs the same over WebSocket, TCP or an in-memory pair in tests.
 * A transport calls these as methods of the object given to bind() (`events.data(chunk)`), never
 * detached: the session passes one object with methods, not a closure per event.
 */
export interface StompConnectionEvents {
  /** Bytes from the peer: a TCP chunk or one WebSocket message. */
  data(chunk: Buffer): void;
  /** Everything written so far has left the process's buffers. */
  drain(): void;
  /**
   * The connection is gone (either side). Called once. `error`: why, when the transport itself
   * ended it on a limit the session must report (a WebSocket message above maxPayload).
   */
  close(error?: StompError): void;
}

export interface StompConnection {
  /** 'ws', 'tcp' or a custom transport's name; shown in events and stats. */
  readonly transport: string;
  readonly remoteAddress: string | undefined;
  /** Bytes handed to write() that the peer has not taken yet. */
  readonly bufferedAmount: number;
  /** Installs the session's handlers; called once, before any event is delivered. */
  bind(events: StompConnectionEvents): void;
  /**
   * Sends bytes. Returns false when the transport's buffer is full: the caller should stop
   * until `drain` (the bytes are still queued, never dropped).
   */
  write(chunk: Buffer): boolean;
  /** Stop / restart delivering inbound data (inbound backpressure). */
  pause(): void;
  resume(): void;
  /** Flushes what was written, then closes. `code` is a WebSocket close code where it applies. */
  end(code?: number, reason?: string): void;
  /** Closes at once, dropping unsent bytes. */
  destroy(): void;
}

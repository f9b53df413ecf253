/** Lifecycle of a STOMP session. */
export enum SessionState {
  /** Waiting for CONNECT. */
  Connecting = 0,
  Connected = 1,
  /** ERROR or DISCONNECT handled; only the last bytes are still being written. */
  Closing = 2,
  Closed = 3,
}

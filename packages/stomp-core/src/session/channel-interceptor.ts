import type { BrokerMessage } from '../broker/message-broker.js';
import { createHeaderMap } from '../codec/header-map.js';
import { encodeFrame } from '../codec/stomp-encoder.js';
import type { StompFrame } from '../codec/stomp-frame.js';
import type { StompSession } from './stomp-session.js';
import { toStompError } from './to-stomp-error.js';

/** Client → server frames are 'inbound', server → client frames 'outbound' (Spring's two channels). */
export type ChannelDirection = 'inbound' | 'outbound';

/**
 * Spring's ChannelInterceptor, on STOMP frames (server option `interceptors`, run in order).
 *
 * - `preSend`: inbound, every client frame before it is handled (CONNECT included); outbound,
 *   every frame to the client (CONNECTED, MESSAGE, RECEIPT, ERROR) before it is encoded. Return
 *   `null` to drop the frame (silently: no RECEIPT, no ERROR), a frame to replace it, or nothing
 *   to keep it (in-place changes to `frame` count; a return value that is not an object is ignored). A throw ends the session with an ERROR (a
 *   StompError keeps its code and message, e.g. ACCESS_DENIED).
 * - `postSend`: after the frame took effect (inbound: after its handler settled, RECEIPT queued;
 *   outbound: once queued for writing).
 *
 * Without interceptors none of this runs: MESSAGE frames keep their shared, once-encoded tail.
 */
export interface ChannelInterceptor {
  preSend?(frame: StompFrame, session: StompSession, direction: ChannelDirection): StompFrame | null | void;
  postSend?(frame: StompFrame, session: StompSession, direction: ChannelDirection): void;
}

/** Runs every preSend in order; null as soon as one drops the frame. */
export function applyPreSend(
  interceptors: readonly ChannelInterceptor[],
  frame: StompFrame,
  session: StompSession,
  direction: ChannelDirection,
): StompFrame | null {
  let current = frame;
  for (let i = 0; i < interceptors.length; i++) {
    const preSend = interceptors[i]!.preSend;
    if (preSend === undefined) continue;
    const result = preSend.call(interceptors[i], current, session, direction);
    if (result === null) return null;
    // Anything but a frame object (undefined, or a stray value from an arrow function) keeps the frame.
    if (typeof result === 'object') current = result;
  }
  return current;
}

export function applyPostSend(
  interceptors: readonly ChannelInterceptor[],
  frame: StompFrame,
  session: StompSession,
  direction: ChannelDirection,
): void {
  for (let i = 0; i < interceptors.length; i++) interceptors[i]!.postSend?.(frame, session, direction);
}

/**
 * A MESSAGE as a frame, for outbound interceptors only: the per-delivery headers first, then the
 * message's own (first wins, as on the wire), `destination` as the client sees it.
 */
export function messageFrame(
  subscription: string,
  messageId: string,
  ack: string | undefined,
  redelivered: boolean,
  message: BrokerMessage,
): StompFrame {
  const headers = createHeaderMap();
  headers.subscription = subscription;
  headers['message-id'] = messageId;
  if (ack !== undefined) headers.ack = ack;
  if (redelivered) headers.redelivered = 'true';
  headers.destination = message.deliveredAs ?? message.destination;
  const own = message.headers;
  for (const name in own) {
    if (name === 'content-length' || headers[name] !== undefined) continue;
    headers[name] = own[name]!;
  }
  return { command: 'MESSAGE', headers, body: message.body };
}

/**
 * An outbound frame through the interceptors, then encoded on its own (no shared MESSAGE tail)
 * and queued on the session. Never throws: a failing interceptor fails the session, and on the
 * ERROR itself the ERROR still goes out untouched.
 */
export function sendIntercepted(interceptors: readonly ChannelInterceptor[], frame: StompFrame, session: StompSession): void {
  let sent = false;
  try {
    const out = applyPreSend(interceptors, frame, session, 'outbound');
    if (out === null) return;
    session.send(encodeFrame(out.command, out.headers, out.body, session.version));
    sent = true;
    applyPostSend(interceptors, out, session, 'outbound');
  } catch (error) {
    if (frame.command !== 'ERROR') session.fail(toStompError(error));
    else if (!sent) session.send(encodeFrame('ERROR', frame.headers, frame.body, session.version));
  }
}

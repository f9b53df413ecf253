import type { StompHeaders } from '@nest-stomp/core';
import { readPayload } from './payload-converter.js';

/** Which frame reached the handler. */
export type StompMessageCommand = 'SEND' | 'SUBSCRIBE';

const UNREAD = Symbol('unread');

/**
 * The message a STOMP handler handles: `context.switchToWs().getData()` (and `getArgByIndex(1)`).
 * `payload` is converted from `body` by content-type on first access, once.
 * @publicApi
 */
export class StompMessage {
  private converted: unknown = UNREAD;

  constructor(
    /** SEND or SUBSCRIBE. */
    readonly command: StompMessageCommand,
    /** The destination as the client sent it, application prefix included (`/app/chat/room/1`). */
    readonly destination: string,
    /** The frame's headers (STOMP names are case-sensitive). */
    readonly headers: Readonly<StompHeaders>,
    /** The raw body. */
    readonly body: Buffer,
    /** The `{var}` captures of the matched mapping. */
    readonly variables: Readonly<Record<string, string>>,
    /** SUBSCRIBE only: the subscription id the reply goes to. */
    readonly subscriptionId?: string,
  ) {}

  /** The body converted by content-type (JSON by default, text for `text/*`, else the Buffer). Throws StompException on invalid JSON. */
  get payload(): unknown {
    if (this.converted === UNREAD) this.converted = readPayload(this.body, this.headers['content-type']);
    return this.converted;
  }
}

import type { RuleFrameType, StompHeaders } from '@nest-stomp/core';
import { readPayload } from './payload-converter.js';

/**
 * Which frame reached the handler: SEND or SUBSCRIBE for `@MessageMapping` / `@SubscribeMapping`
 * handlers; any rule frame type (CONNECT, MESSAGE, ACK...) for guards of destination rules.
 */
export type StompMessageCommand = 'SEND' | 'SUBSCRIBE' | RuleFrameType;

const UNREAD = Symbol('unread');

/**
 * The message a STOMP handler handles: `context.switchToWs().getData()` (and `getArgByIndex(1)`).
 * `payload` is converted from `body` by content-type on first access, once.
 * @publicApi
 */
export class StompMessage {
  private converted: unknown = UNREAD;

  constructor(
    /** SEND or SUBSCRIBE (destination rules: the frame type they check). */
    readonly command: StompMessageCommand,
    /** The destination as the client sent it, application prefix included (`/app/chat/room/1`). */
    readonly destination: string,
    /** The frame's headers (STOMP names are case-sensitive). */
    readonly headers: Readonly<StompHeaders>,
    /** The raw body. */
    readonly body: Buffer,
    /** The `{var}` captures of the matched mapping. */
    readonly variables: Readonly<Record<string, string>>,
    /** SUBSCRIBE: the subscription id the reply goes to; MESSAGE (rules): the receiving subscription. */
    readonly subscriptionId?: string,
  ) {}

  /** The body converted by content-type (JSON by default, text for `text/*`, else the Buffer). Throws StompException on invalid JSON. */
  get payload(): unknown {
    if (this.converted === UNREAD) this.converted = readPayload(this.body, this.headers['content-type']);
    return this.converted;
  }
}

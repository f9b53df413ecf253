/** Header values a message may carry; numbers and booleans are written as text, `undefined` ones are left out. */
export type StompHeaderValue = string | number | boolean | undefined;
/** Headers of an outbound message (STOMP header names are case-sensitive). */
export type StompMessageHeaders = Readonly<Record<string, StompHeaderValue>>;

/**
 * A payload with headers: what a handler returns (or a template sends) when the message needs
 * headers of its own, as Spring's `Message<T>` / `MessageBuilder` and Nest's `RmqRecord` do.
 * The payload is converted as any other (objects → JSON, strings → text, Buffers → bytes);
 * a `content-type` header here wins over the converter's.
 *
 * @example
 * ```ts
 * @MessageMapping('/orders')
 * @SendTo('/topic/orders')
 * place(@Payload() order: OrderDto) {
 *   return new StompRecord({ id: 7, ...order }, { 'x-order-id': 7, priority: 9 });
 * }
 * ```
 * @publicApi
 */
export class StompRecord<TPayload = unknown> {
  constructor(
    readonly payload: TPayload,
    readonly headers: StompMessageHeaders = {},
  ) {}
}

/**
 * Builds a StompRecord step by step (Nest's `RmqRecordBuilder` shape).
 *
 * @example
 * ```ts
 * return new StompRecordBuilder(reply).setHeader('x-trace', traceId).build();
 * ```
 * @publicApi
 */
export class StompRecordBuilder<TPayload = unknown> {
  private headers: Record<string, StompHeaderValue> = {};

  constructor(private payload?: TPayload) {}

  setPayload(payload: TPayload): this {
    this.payload = payload;
    return this;
  }

  /** Adds (or replaces) these headers. */
  setHeaders(headers: StompMessageHeaders): this {
    this.headers = { ...this.headers, ...headers };
    return this;
  }

  setHeader(name: string, value: StompHeaderValue): this {
    this.headers[name] = value;
    return this;
  }

  build(): StompRecord<TPayload> {
    return new StompRecord(this.payload as TPayload, { ...this.headers });
  }
}

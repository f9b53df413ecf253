import type { CanActivate, Type } from '@nestjs/common';
import type { AccessVoter, RuleFrameSelector } from '@nest-stomp/core';

/**
 * What a rule decides: `'permit'`, `'deny'`, `'authenticated'` (the session has a principal), a
 * voter function, or Nest guards (classes resolved through DI, or instances) that must all allow.
 * Guards run with `context.getType() === 'stomp'`, `switchToWs().getClient()` = the session,
 * `getData()` = a StompMessage (`command`, `destination`, `headers`, `variables` of the pattern).
 */
export type StompRuleAccess =
  | 'permit'
  | 'deny'
  | 'authenticated'
  | AccessVoter
  | Type<CanActivate>
  | ReadonlyArray<Type<CanActivate> | CanActivate | AccessVoter>;

/**
 * A destination rule (Spring Security's message matchers): frame types and destination patterns
 * (`@MessageMapping` syntax) → access. Ordered, first match wins; once rules exist, a frame no rule
 * matches is denied, CONNECT included.
 * @publicApi
 */
export interface StompDestinationRule {
  /** CONNECT, SEND, SUBSCRIBE, UNSUBSCRIBE, ACK, NACK, BEGIN, COMMIT, ABORT, DISCONNECT, MESSAGE, NO_DESTINATION. Default: all. */
  frames?: readonly RuleFrameSelector[];
  /** Destination patterns (`/topic/room.{room}`, `/queue/**`); the rule then needs a matching destination. */
  destinations?: readonly string[];
  access: StompRuleAccess;
}

import { Inject, Injectable } from '@nestjs/common';
import { isPattern, SessionState, StompError, StompErrorCode, type StompServer } from '@nest-stomp/core';
import { toOutboundMessage } from '../context/outbound-message.js';
import type { StompMessageHeaders } from '../context/stomp-record.js';
import { ApplicationPrefixes } from '../routing/route-path.js';
import { userOf } from '../routing/user-messaging.js';
import { STOMP_RESOLVED_OPTIONS, STOMP_SERVER } from '../stomp.constants.js';
import type { ResolvedStompModuleOptions } from '../stomp-options.resolver.js';

/**
 * Sends messages from anywhere in the application (Spring's `SimpMessagingTemplate`): a service,
 * a scheduled job, an HTTP controller, an event listener. Payloads are converted as handler return
 * values are: objects → JSON (`content-type: application/json`), strings → `text/plain`, Buffers →
 * bytes; a StompRecord adds its headers. Everything goes through the server's broker, embedded or relay.
 *
 * Sends are synchronous and throw on a mistake: TypeError for a missing payload or a bad header,
 * StompError `STOMP_NO_HANDLER` for a destination the broker does not serve (e.g. an `/app/...`
 * destination: those are for clients), `STOMP_QUEUE_FULL` when a queue is full.
 * Nobody subscribed or connected is not an error: nothing is delivered, as in Spring.
 *
 * @example
 * ```ts
 * @Injectable()
 * export class PriceService {
 *   constructor(private readonly template: StompMessagingTemplate) {}
 *   tick(quote: Quote) { this.template.convertAndSend(`/topic/price.stock.${quote.ticker}`, quote); }
 * }
 * ```
 * @publicApi
 */
@Injectable()
export class StompMessagingTemplate {
  private readonly applicationPrefixes: ApplicationPrefixes;

  constructor(
    @Inject(STOMP_SERVER) private readonly server: StompServer,
    @Inject(STOMP_RESOLVED_OPTIONS) options: ResolvedStompModuleOptions,
  ) {
    this.applicationPrefixes = new ApplicationPrefixes(options.applicationDestinationPrefixes);
  }

  /**
   * To a broker destination (`/topic/...`, `/queue/...`), or to a user destination with the user
   * named (`/user/alice/queue/x`, the same as `convertAndSendToUser('alice', '/queue/x', ...)`).
   */
  convertAndSend(destination: string, payload: unknown, headers?: StompMessageHeaders): void {
    this.checkDestination(destination, 'convertAndSend');
    const message = toOutboundMessage(payload, headers);
    this.server.publish(destination, message.body, message.headers);
  }

  /**
   * To every session of `user` (a principal name, or the id of a session without one) that
   * subscribed to `/user<destination>`: `convertAndSendToUser('alice', '/queue/trades', trade)`
   * reaches alice's `/user/queue/trades` subscriptions, nobody else's. `destination` is without
   * the user prefix.
   */
  convertAndSendToUser(user: string, destination: string, payload: unknown, headers?: StompMessageHeaders): void {
    if (typeof user !== 'string' || user.length === 0) throw new TypeError('convertAndSendToUser: user must be a non-empty string');
    this.checkUserTarget(destination, 'convertAndSendToUser');
    const message = toOutboundMessage(payload, headers);
    this.server.sendToUser(user, destination, message.body, message.headers);
  }

  /**
   * To one session only (its `/user<destination>` subscriptions), whoever its user is: the way to
   * answer one browser tab, or an anonymous session. A session that is not connected (any more)
   * gets nothing.
   */
  convertAndSendToSession(sessionId: string, destination: string, payload: unknown, headers?: StompMessageHeaders): void {
    if (typeof sessionId !== 'string' || sessionId.length === 0) {
      throw new TypeError('convertAndSendToSession: sessionId must be a non-empty string');
    }
    this.checkUserTarget(destination, 'convertAndSendToSession');
    const message = toOutboundMessage(payload, headers);
    const session = this.server.sessions.get(sessionId);
    if (session === undefined || session.state !== SessionState.Connected) return;
    this.server.sendToUser(userOf(session), destination, message.body, message.headers, sessionId);
  }

  private checkDestination(destination: string, method: string): void {
    if (typeof destination !== 'string' || destination.length === 0) {
      throw new TypeError(`${method}: destination must be a non-empty string`);
    }
    if (this.server.userDestinations.isUserDestination(destination)) return; // checked by the resolver
    if (isPattern(destination)) {
      throw new StompError(StompErrorCode.NO_HANDLER, `${method}: cannot send to the pattern '${destination}'; name one destination`);
    }
    if (!this.server.broker.isBrokerDestination(destination)) throw this.notBroker(destination, method);
  }

  /** A user destination's target: a broker destination without the user prefix (`/queue/x`). */
  private checkUserTarget(destination: string, method: string): void {
    if (typeof destination !== 'string' || destination.length === 0) {
      throw new TypeError(`${method}: destination must be a non-empty string`);
    }
    const userPrefix = this.server.userDestinations.prefix;
    if (this.server.userDestinations.isUserDestination(destination)) {
      throw new TypeError(
        `${method}: pass the destination without '${userPrefix}' ('${destination.slice(userPrefix.length)}'); ` +
          `the template adds the user part itself`,
      );
    }
    const target = destination.startsWith('/') ? destination : `/${destination}`;
    if (!isPattern(target) && !this.server.broker.isBrokerDestination(target)) throw this.notBroker(target, method);
  }

  private notBroker(destination: string, method: string): StompError {
    const application = this.applicationPrefixes.lookup(destination) !== undefined;
    return new StompError(
      StompErrorCode.NO_HANDLER,
      application
        ? `${method}: '${destination}' is an application destination (handled by @MessageMapping for clients); ` +
            'the template sends to broker destinations'
        : `${method}: '${destination}' is not a broker destination (see broker.destinationPrefixes)`,
    );
  }
}

import type { StompServer, StompSession } from '@nest-stomp/core';
import { toOutboundMessage } from '../context/outbound-message.js';
import type { StompMessage } from '../context/stomp-message.js';
import type { DestinationTemplate } from './destination-template.js';
import { userOf } from './user-messaging.js';

/** Where one mapping's return values go, decided at bootstrap from its annotations. */
export interface ReplyPlan {
  /** @SubscribeMapping without @SendTo/@SendToUser: straight back to the subscription. */
  direct: boolean;
  /** Broker destinations; `default` = `/topic` + the lookup destination. */
  sendTo?: { templates: DestinationTemplate[]; useDefault: boolean };
  /** User destinations; `default` = `/queue` + the lookup destination. */
  sendToUser?: { templates: DestinationTemplate[]; useDefault: boolean; broadcast: boolean };
}

let replies = 0;

/**
 * Sends a handler's return values (Spring's SendToMethodReturnValueHandler and
 * SubscriptionMethodReturnValueHandler). `undefined` and `null` send nothing; a StompRecord sends
 * its payload with its headers.
 */
export class ReturnValueSender {
  constructor(
    private readonly server: StompServer,
    private readonly plan: ReplyPlan,
  ) {}

  send(value: unknown, session: StompSession, message: StompMessage, lookup: string): void {
    if (value === undefined || value === null) return;
    // Converted once; the broker only reads a message's headers, so every destination shares them.
    const { body, headers } = toOutboundMessage(value);
    const plan = this.plan;
    if (plan.direct) {
      // Reply ids carry a prefix so they never collide with the broker's numeric message ids.
      session.sendMessage(message.subscriptionId!, { destination: message.destination, headers, body }, `r-${++replies}`);
      return;
    }
    const sendTo = plan.sendTo;
    if (sendTo) {
      if (sendTo.useDefault) this.server.publish(`/topic${lookup}`, body, headers);
      for (const template of sendTo.templates) {
        this.server.publish(template.fill(message.variables), body, headers);
      }
    }
    const toUser = plan.sendToUser;
    if (toUser) {
      // Spring: a session without a principal is addressed alone even with broadcast.
      const sessionId = toUser.broadcast && session.principal ? undefined : session.id;
      const user = userOf(session);
      if (toUser.useDefault) this.server.sendToUser(user, `/queue${lookup}`, body, headers, sessionId);
      for (const template of toUser.templates) {
        this.server.sendToUser(user, template.fill(message.variables), body, headers, sessionId);
      }
    }
  }
}

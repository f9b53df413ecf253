import {
  StompError,
  StompErrorCode,
  type ApplicationHandler,
  type StompFrame,
  type StompSession,
} from '@nest-stomp/core';
import { StompMessage } from '../context/stomp-message.js';
import type { HandlerInvoker } from './handler-invoker.js';
import type { ApplicationPrefixes } from './route-path.js';
import { RouteTable } from './route-table.js';
import type { ReturnValueSender } from './return-value.sender.js';

/** One mapping: the handler and where its results go. */
export interface MappedRoute {
  invoker: HandlerInvoker;
  sender: ReturnValueSender;
}

/**
 * The core's ApplicationHandler: frames to application destinations (under
 * `applicationDestinationPrefixes`) are matched, without the prefix, against the mappings built at
 * bootstrap and handed to their handler. An application destination nobody maps is an error the
 * client hears about (ERROR frame, with receipt-id when asked), never a silent drop.
 */
export class StompApplicationRouter implements ApplicationHandler {
  readonly messages = new RouteTable<MappedRoute>();
  readonly subscriptions = new RouteTable<MappedRoute>();

  constructor(readonly prefixes: ApplicationPrefixes) {}

  handles(destination: string): boolean {
    return this.prefixes.lookup(destination) !== undefined;
  }

  send(session: StompSession, frame: StompFrame, destination: string): Promise<void> {
    const lookup = this.prefixes.lookup(destination);
    const match = lookup === undefined ? undefined : this.messages.match(lookup);
    if (!match) throw new StompError(StompErrorCode.NO_HANDLER, `No @MessageMapping for ${destination}`);
    const message = new StompMessage('SEND', destination, frame.headers, frame.body, match.variables);
    return match.target.invoker.invoke(session, message, lookup!, match.target.sender);
  }

  subscribe(session: StompSession, frame: StompFrame, destination: string, id: string): Promise<void> {
    const lookup = this.prefixes.lookup(destination);
    const match = lookup === undefined ? undefined : this.subscriptions.match(lookup);
    if (!match) throw new StompError(StompErrorCode.NO_HANDLER, `No @SubscribeMapping for ${destination}`);
    const message = new StompMessage('SUBSCRIBE', destination, frame.headers, frame.body, match.variables, id);
    return match.target.invoker.invoke(session, message, lookup!, match.target.sender);
  }
}

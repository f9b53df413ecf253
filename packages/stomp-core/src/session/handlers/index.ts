import { ackHandler } from './ack.handler.js';
import type { CommandHandler } from './command-handler.js';
import { connectHandler } from './connect.handler.js';
import { disconnectHandler } from './disconnect.handler.js';
import { sendHandler } from './send.handler.js';
import { subscribeHandler } from './subscribe.handler.js';
import { abortHandler, beginHandler, commitHandler } from './transaction.handler.js';
import { unsubscribeHandler } from './unsubscribe.handler.js';

/** Client command → handler. A Map: command names come from the wire and must not hit Object.prototype. */
export const COMMAND_HANDLERS: ReadonlyMap<string, CommandHandler> = new Map<string, CommandHandler>([
  ['CONNECT', connectHandler],
  ['STOMP', connectHandler],
  ['SEND', sendHandler],
  ['SUBSCRIBE', subscribeHandler],
  ['UNSUBSCRIBE', unsubscribeHandler],
  ['ACK', ackHandler],
  ['NACK', ackHandler],
  ['BEGIN', beginHandler],
  ['COMMIT', commitHandler],
  ['ABORT', abortHandler],
  ['DISCONNECT', disconnectHandler],
]);

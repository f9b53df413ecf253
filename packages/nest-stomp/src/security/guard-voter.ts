import type { CanActivate } from '@nestjs/common';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import type { AccessRequest, AccessVoter } from '@nest-stomp/core';
import { isObservable, lastValueFrom } from 'rxjs';
import { StompMessage } from '../context/stomp-message.js';
import { STOMP_CONTEXT_TYPE } from '../stomp.constants.js';

/**
 * The class `context.getClass()` returns for a destination rule's guards (controller guards see
 * their controller). Guards reading metadata with Reflector find none here.
 * @publicApi
 */
export class StompDestinationRules {}

const EMPTY = Buffer.alloc(0);

/** The message a rule guard sees: the frame (or, for MESSAGE, the delivery) as a StompMessage. */
function ruleMessage(request: AccessRequest): StompMessage {
  const destination = request.destination ?? '';
  if (request.message !== undefined) {
    return new StompMessage('MESSAGE', destination, request.message.headers, request.message.body, request.variables, request.subscription?.id);
  }
  const frame = request.frame;
  return new StompMessage(request.command, destination, frame?.headers ?? {}, frame?.body ?? EMPTY, request.variables, frame?.headers.id);
}

/** Each guard in turn (as Nest runs `@UseGuards(A, B)`): all must allow; async only when one is. */
function runGuards(guards: readonly CanActivate[], context: ExecutionContextHost, from: number): boolean | Promise<boolean> {
  for (let i = from; i < guards.length; i++) {
    const result = guards[i]!.canActivate(context);
    if (result === true) continue;
    if (result === false) return false;
    const settled = isObservable(result) ? lastValueFrom(result) : Promise.resolve(result);
    return settled.then((allowed) => allowed === true && runGuards(guards, context, i + 1));
  }
  return true;
}

/** Nest guard instances as one voter of the core's rule engine, execution context type 'stomp'. */
export function guardVoter(guards: readonly CanActivate[]): AccessVoter {
  // One handler per rule: what `context.getHandler()` returns.
  const handler = function stompDestinationRule(): void {};
  return (request) => {
    const context = new ExecutionContextHost([request.session, ruleMessage(request), request.destination], StompDestinationRules, handler);
    context.setType(STOMP_CONTEXT_TYPE);
    return runGuards(guards, context, 0);
  };
}

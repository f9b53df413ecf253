import type { ParamsFactory } from '@nestjs/core';
import type { StompSession } from '@nest-stomp/core';
import type { StompMessage } from '../context/stomp-message.js';
import { StompParamtype } from './stomp-paramtype.enum.js';

/** The arguments every STOMP handler invocation carries: `[session, message, destination]`. */
export type StompHandlerArgs = [session: StompSession, message: StompMessage, destination: string];

function property(value: unknown, name: string): unknown {
  if (typeof value !== 'object' || value === null || Buffer.isBuffer(value)) return undefined;
  return (value as Record<string, unknown>)[name];
}

/** Resolves one decorated parameter from the invocation arguments (runs before the pipes). */
export class StompParamsFactory implements ParamsFactory {
  exchangeKeyForValue(type: number, data: unknown, args: StompHandlerArgs): unknown {
    const [session, message] = args;
    const name = typeof data === 'string' ? data : undefined;
    switch (type) {
      case StompParamtype.PAYLOAD:
        return name === undefined ? message.payload : property(message.payload, name);
      case StompParamtype.HEADER:
        return name === undefined ? undefined : message.headers[name];
      case StompParamtype.HEADERS:
        return name === undefined ? message.headers : message.headers[name];
      case StompParamtype.DESTINATION_VARIABLE:
        return name === undefined ? message.variables : message.variables[name];
      case StompParamtype.PRINCIPAL:
        return session.principal;
      case StompParamtype.SESSION_ID:
        return session.id;
      case StompParamtype.SESSION_ATTRIBUTES:
        return session.attributes;
      case StompParamtype.SESSION:
        return session;
      default:
        return undefined;
    }
  }
}

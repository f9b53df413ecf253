import type { SendToUserMetadata } from '../decorators/send-to-user.decorator.js';
import {
  MESSAGE_MAPPING_METADATA,
  SEND_TO_METADATA,
  SEND_TO_USER_METADATA,
  STOMP_PARAMS_METADATA,
  SUBSCRIBE_MAPPING_METADATA,
} from '../stomp.constants.js';
import { DestinationTemplate } from './destination-template.js';
import { joinPatterns } from './route-path.js';
import type { ReplyPlan } from './return-value.sender.js';
import { StompParamtype } from './stomp-paramtype.enum.js';

export type MappingKind = 'message' | 'subscribe';

export interface HandlerMapping {
  kind: MappingKind;
  /** Class prefix and method pattern joined: what lookup destinations are matched against. */
  pattern: string;
}

/** Everything the decorators say about one handler method. */
export interface HandlerDescription {
  mappings: HandlerMapping[];
  sendTo: string[] | undefined;
  sendToUser: SendToUserMetadata | undefined;
  /** Names read with `@DestinationVariable('name')`. */
  destinationVariables: string[];
}

type Owner = object;

/** Reads a method's mapping metadata; undefined when it is not a STOMP handler. */
export function describeHandler(classRef: Function, method: Owner, methodName: string): HandlerDescription | undefined {
  const messagePatterns = Reflect.getMetadata(MESSAGE_MAPPING_METADATA, method) as string[] | undefined;
  const subscribePatterns = Reflect.getMetadata(SUBSCRIBE_MAPPING_METADATA, method) as string[] | undefined;
  if (!messagePatterns && !subscribePatterns) return undefined;

  const prefixes = (Reflect.getMetadata(MESSAGE_MAPPING_METADATA, classRef) as string[] | undefined) ?? [''];
  const mappings: HandlerMapping[] = [];
  const add = (kind: MappingKind, patterns: string[] | undefined) => {
    for (const prefix of prefixes) {
      for (const pattern of patterns ?? []) {
        if (prefix === '' && pattern === '') {
          throw new Error(`${classRef.name}.${methodName}: a STOMP mapping needs a destination pattern`);
        }
        mappings.push({ kind, pattern: joinPatterns(prefix, pattern) });
      }
    }
  };
  add('message', messagePatterns);
  add('subscribe', subscribePatterns);

  // Spring: method-level @SendTo/@SendToUser replace the class-level pair as a whole.
  const methodLevel =
    Reflect.hasOwnMetadata(SEND_TO_METADATA, method) || Reflect.hasOwnMetadata(SEND_TO_USER_METADATA, method);
  const source: Owner = methodLevel ? method : classRef;
  const params = (Reflect.getMetadata(STOMP_PARAMS_METADATA, classRef, methodName) ?? {}) as Record<string, { data?: unknown }>;
  const destinationVariables = Object.keys(params)
    .filter((key) => key.split(':')[0] === String(StompParamtype.DESTINATION_VARIABLE))
    .map((key) => params[key]!.data)
    .filter((data): data is string => typeof data === 'string');
  return {
    mappings,
    sendTo: Reflect.getMetadata(SEND_TO_METADATA, source) as string[] | undefined,
    sendToUser: Reflect.getMetadata(SEND_TO_USER_METADATA, source) as SendToUserMetadata | undefined,
    destinationVariables,
  };
}

/**
 * Where one mapping's results go. @MessageMapping defaults to `/topic` + destination;
 * @SubscribeMapping defaults to a direct reply. Placeholders must be variables of the mapping.
 */
export function replyPlan(description: HandlerDescription, kind: MappingKind, variables: readonly string[], owner: string): ReplyPlan {
  const { sendTo, sendToUser } = description;
  if (!sendTo && !sendToUser) {
    return kind === 'subscribe' ? { direct: true } : { direct: false, sendTo: { templates: [], useDefault: true } };
  }
  const compile = (destinations: string[]) =>
    destinations.map((destination) => {
      const template = new DestinationTemplate(destination);
      const unknown = template.variables.find((name) => !variables.includes(name));
      if (unknown !== undefined) {
        throw new Error(`${owner}: destination '${destination}' uses {${unknown}}, which its mapping does not capture`);
      }
      return template;
    });
  const plan: ReplyPlan = { direct: false };
  if (sendTo) plan.sendTo = { templates: compile(sendTo), useDefault: sendTo.length === 0 };
  if (sendToUser) {
    plan.sendToUser = {
      templates: compile(sendToUser.destinations),
      useDefault: sendToUser.destinations.length === 0,
      broadcast: sendToUser.broadcast,
    };
  }
  return plan;
}

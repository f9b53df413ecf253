import { assignMetadata, type PipeTransform, type Type } from '@nestjs/common';
import type { StompParamtype } from '../routing/stomp-paramtype.enum.js';
import { STOMP_PARAMS_METADATA } from '../stomp.constants.js';

export type StompPipe = PipeTransform | Type<PipeTransform>;

/** Records one handler parameter the way Nest's own parameter decorators do (see STOMP_PARAMS_METADATA). */
export function stompParam(type: StompParamtype, data: string | undefined, pipes: StompPipe[]): ParameterDecorator {
  return (target, key, index) => {
    if (key === undefined) throw new TypeError('STOMP parameter decorators go on handler method parameters');
    const owner = target.constructor;
    const args = (Reflect.getMetadata(STOMP_PARAMS_METADATA, owner, key) ?? {}) as Record<string, unknown>;
    Reflect.defineMetadata(STOMP_PARAMS_METADATA, assignMetadata(args, type, index, { data, pipes }), owner, key);
  };
}

/** `(name?, ...pipes)` or `(...pipes)`: the first argument is data only when it is a string. */
export function splitDataAndPipes(
  dataOrPipe: string | StompPipe | undefined,
  pipes: StompPipe[],
): { data: string | undefined; pipes: StompPipe[] } {
  if (typeof dataOrPipe === 'string') return { data: dataOrPipe, pipes };
  return { data: undefined, pipes: dataOrPipe === undefined ? pipes : [dataOrPipe, ...pipes] };
}

import { EXCEPTION_FILTERS_METADATA } from '@nestjs/common/constants.js';
import type { ExternalContextCreator } from '@nestjs/core';
import type { StompSession } from '@nest-stomp/core';
import type { StompMessage } from '../context/stomp-message.js';
import { STOMP_CONTEXT_TYPE, STOMP_PARAMS_METADATA } from '../stomp.constants.js';
import { StompParamsFactory } from './stomp-params.factory.js';

/** A handler with its guards, interceptors and pipes around it; resolves with the raw result (a value or an Observable). */
export type ComposedHandler = (session: StompSession, message: StompMessage, destination: string) => Promise<unknown>;
/** Runs the handler's exception filters on an error; rejects when none handled it. */
export type ComposedFilters = (error: unknown, session: StompSession, message: StompMessage) => Promise<unknown>;

/** The error each failed invocation is being filtered for, keyed by its (per-invocation) message. */
const pendingErrors = new WeakMap<StompMessage, unknown>();

/**
 * Builds each handler's pipeline ONCE, at bootstrap, with Nest's public ExternalContextCreator
 * (context type 'stomp'), from a per-module view of it that changes two things:
 *
 * - The owning module. Nest 12.5.1 finds the host's module among provider registrations only; for a
 *   `@Controller()` it finds none, and then every guard, interceptor, filter or pipe bound as a
 *   class (`@UseGuards(AuthGuard)`) resolves to nothing and is skipped without a word. The module
 *   comes from discovery, so it is known: `getContextModuleKey` (Nest's fallback) returns it.
 * - Results. ExternalContextCreator reduces an Observable to its last value; here it is kept, so
 *   every emitted value (after the interceptors' operators) is sent.
 *
 * Exception filters are composed separately (`filters`): the pipeline rejects, and the error then
 * goes through the same filters Nest would use (global, class, method). That way an error raised
 * while an Observable result is being sent is filtered too, not only one raised before.
 */
export class HandlerComposer {
  private readonly creators = new Map<string, ExternalContextCreator>();
  private readonly paramsFactory = new StompParamsFactory();

  constructor(private readonly base: ExternalContextCreator) {
    if (typeof base.getContextModuleKey !== 'function' || typeof base.transformToResult !== 'function') {
      // Fail at boot rather than run handlers without their guards.
      throw new Error('nest-stomp: this @nestjs/core ExternalContextCreator lacks getContextModuleKey/transformToResult');
    }
  }

  compose(instance: object, methodName: string, moduleKey: string): { handle: ComposedHandler; filters: ComposedFilters } {
    const creator = this.creatorFor(moduleKey);
    const method = (instance as Record<string, (...args: unknown[]) => unknown>)[methodName]!;
    const handle = creator.create(
      instance,
      method,
      methodName,
      STOMP_PARAMS_METADATA,
      this.paramsFactory,
      undefined,
      undefined,
      { guards: true, interceptors: true, filters: false },
      STOMP_CONTEXT_TYPE,
    ) as ComposedHandler;

    // Stands in for the method when filters run: throws the invocation's error. It carries the
    // method's @UseFilters metadata, since Nest reads method-level filters from the callback.
    const rethrow = (_session: StompSession, message: StompMessage): never => {
      throw pendingErrors.get(message);
    };
    const methodFilters: unknown = Reflect.getMetadata(EXCEPTION_FILTERS_METADATA, method);
    if (methodFilters !== undefined) Reflect.defineMetadata(EXCEPTION_FILTERS_METADATA, methodFilters, rethrow);
    const runFilters = creator.create(
      instance,
      rethrow as (...args: unknown[]) => unknown,
      methodName,
      undefined,
      undefined,
      undefined,
      undefined,
      { guards: false, interceptors: false, filters: true },
      STOMP_CONTEXT_TYPE,
    );
    const filters: ComposedFilters = async (error, session, message) => {
      pendingErrors.set(message, error);
      try {
        return await runFilters(session, message, message.destination);
      } finally {
        pendingErrors.delete(message);
      }
    };
    return { handle, filters };
  }

  private creatorFor(moduleKey: string): ExternalContextCreator {
    let creator = this.creators.get(moduleKey);
    if (!creator) {
      const base = this.base;
      creator = Object.create(base) as ExternalContextCreator;
      creator.getContextModuleKey = (moduleCtor) => moduleKey || base.getContextModuleKey(moduleCtor);
      creator.transformToResult = async (result: unknown) => result;
      this.creators.set(moduleKey, creator);
    }
    return creator;
  }
}

import { HttpException, Inject, Injectable, type CanActivate, type OnModuleInit, type Type } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import {
  StompError,
  StompErrorCode,
  type AccessVoter,
  type DestinationRule,
  type RuleAccess,
  type StompAuthenticateFunction,
  type StompServer,
} from '@nest-stomp/core';
import { StompException } from '../exceptions/stomp.exception.js';
import { STOMP_RESOLVED_OPTIONS, STOMP_SERVER } from '../stomp.constants.js';
import type { ResolvedStompModuleOptions } from '../stomp-options.resolver.js';
import { guardVoter } from './guard-voter.js';
import type { StompAuthenticator } from './stomp-authenticator.interface.js';
import type { StompDestinationRule, StompRuleAccess } from './stomp-destination-rule.interface.js';

type GuardClass = Type<CanActivate>;

function isGuardClass(value: unknown): value is GuardClass {
  return typeof value === 'function' && typeof (value as { prototype?: { canActivate?: unknown } }).prototype?.canActivate === 'function';
}

function isGuardInstance(value: unknown): value is CanActivate {
  return typeof value === 'object' && value !== null && typeof (value as CanActivate).canActivate === 'function';
}

/** A refusal's message is shown when it was written for the client (StompError, StompException, HttpException). */
function refusal(error: unknown): unknown {
  if (error instanceof StompError) return error;
  if (error instanceof StompException || error instanceof HttpException) {
    return new StompError(StompErrorCode.AUTHENTICATION_FAILED, error.message, { cause: error });
  }
  return error;
}

/** An authenticator whose Nest exceptions (HttpException, StompException) keep their message for the client. */
function withRefusals(authenticate: StompAuthenticateFunction): StompAuthenticateFunction {
  return (request) => {
    let result: ReturnType<StompAuthenticateFunction>;
    try {
      result = authenticate(request);
    } catch (error) {
      throw refusal(error);
    }
    return result instanceof Promise ? result.catch((error: unknown) => Promise.reject(refusal(error))) : result;
  };
}

/**
 * Installs the module's security into the core server once DI can resolve it (onModuleInit,
 * before StompServerHost opens any endpoint): the `authenticator` provider, and the destination
 * rules with their guard classes resolved through DI, compiled once.
 */
@Injectable()
export class StompSecurityBinder implements OnModuleInit {
  constructor(
    private readonly moduleRef: ModuleRef,
    @Inject(STOMP_SERVER) private readonly server: StompServer,
    @Inject(STOMP_RESOLVED_OPTIONS) private readonly options: ResolvedStompModuleOptions,
  ) {}

  async onModuleInit(): Promise<void> {
    const { authenticator, rules } = this.options.security;
    const fn = this.options.server.authenticate;
    const authenticate =
      authenticator !== undefined ? await this.authenticateWith(authenticator) : fn === undefined ? undefined : withRefusals((request) => fn(request));
    this.server.configureSecurity({
      authenticate,
      rules: rules === undefined ? undefined : await Promise.all(rules.map((rule, index) => this.compileRule(rule, index))),
      csrf: this.server.options.csrf,
    });
  }

  private async authenticateWith(authenticator: Type<StompAuthenticator> | StompAuthenticator): Promise<StompAuthenticateFunction> {
    const instance: StompAuthenticator = typeof authenticator === 'function' ? await this.resolve(authenticator) : authenticator;
    if (typeof instance?.authenticate !== 'function') {
      throw new TypeError('StompModule: authenticator must implement StompAuthenticator (an authenticate(request) method)');
    }
    return withRefusals((request) => instance.authenticate(request));
  }

  private async compileRule(rule: StompDestinationRule, index: number): Promise<DestinationRule> {
    return { ...rule, access: await this.compileAccess(rule.access, index) };
  }

  private async compileAccess(access: StompRuleAccess, index: number): Promise<RuleAccess> {
    if (typeof access === 'string') return access;
    if (isGuardClass(access)) return guardVoter([await this.resolve(access)]);
    if (typeof access === 'function') return access as AccessVoter;
    if (!Array.isArray(access)) return access as RuleAccess; // the core names the mistake
    // Consecutive guards form one voter (run in order, as @UseGuards does); functions stay voters.
    const voters: AccessVoter[] = [];
    let guards: CanActivate[] = [];
    for (const item of access as ReadonlyArray<unknown>) {
      if (isGuardClass(item)) guards.push(await this.resolve(item));
      else if (isGuardInstance(item)) guards.push(item);
      else if (typeof item === 'function') {
        if (guards.length > 0) voters.push(guardVoter(guards));
        guards = [];
        voters.push(item as AccessVoter);
      } else throw new TypeError(`StompModule: rules[${index}].access holds something that is neither a guard nor a function`);
    }
    if (guards.length > 0) voters.push(guardVoter(guards));
    return voters;
  }

  /**
   * A provider class through DI: the registered instance when some module provides it (with that
   * module's dependencies), otherwise a new instance created in this module's scope (it can then
   * inject global providers and those of `forRootAsync({ imports })`).
   */
  private async resolve<T>(type: Type<T>): Promise<T> {
    try {
      return this.moduleRef.get(type, { strict: false });
    } catch {
      return this.moduleRef.create(type);
    }
  }
}

import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService, ExternalContextCreator, MetadataScanner, ModulesContainer } from '@nestjs/core';
import type { StompServer } from '@nest-stomp/core';
import { ErrorReplier } from '../exceptions/error-replier.js';
import { STOMP_RESOLVED_OPTIONS, STOMP_SERVER } from '../stomp.constants.js';
import type { ResolvedStompModuleOptions } from '../stomp-options.resolver.js';
import { HandlerComposer } from './handler-composer.js';
import { HandlerInvoker } from './handler-invoker.js';
import { describeHandler, replyPlan } from './handler-metadata.js';
import { ApplicationPrefixes } from './route-path.js';
import { ReturnValueSender } from './return-value.sender.js';
import { StompApplicationRouter } from './stomp-application-router.js';

// Nest does not export these types from its public entry; derive them from DiscoveryService.
type InstanceWrapper = ReturnType<DiscoveryService['getProviders']>[number];
type NestModule = InstanceWrapper['host'];

/**
 * Finds every `@MessageMapping` / `@SubscribeMapping` method of every controller and provider at
 * bootstrap, composes each handler once, and installs the router as the core server's application
 * handler. Runs in onModuleInit, so the routes exist before StompServerHost opens the endpoints
 * (onApplicationBootstrap): no client can reach an application destination before it is mapped.
 */
@Injectable()
export class StompHandlerExplorer implements OnModuleInit {
  private readonly logger = new Logger('StompModule');
  private router: StompApplicationRouter | undefined;

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly modules: ModulesContainer,
    private readonly contextCreator: ExternalContextCreator,
    @Inject(STOMP_SERVER) private readonly server: StompServer,
    @Inject(STOMP_RESOLVED_OPTIONS) private readonly options: ResolvedStompModuleOptions,
  ) {}

  /** The installed router (after module init). */
  get applicationRouter(): StompApplicationRouter | undefined {
    return this.router;
  }

  onModuleInit(): void {
    const router = new StompApplicationRouter(new ApplicationPrefixes(this.options.applicationDestinationPrefixes));
    const composer = new HandlerComposer(this.contextCreator);
    const errors = new ErrorReplier(this.server);
    const seen = new Set<object>();
    for (const wrapper of [...this.discovery.getControllers(), ...this.discovery.getProviders()]) {
      const instance: unknown = wrapper.instance;
      if (typeof instance !== 'object' || instance === null || seen.has(instance)) continue;
      seen.add(instance);
      this.explore(wrapper, instance, router, composer, errors);
    }
    this.router = router;
    this.server.application = router;
  }

  private explore(
    wrapper: InstanceWrapper,
    instance: object,
    router: StompApplicationRouter,
    composer: HandlerComposer,
    errors: ErrorReplier,
  ): void {
    const prototype = Object.getPrototypeOf(instance) as object | null;
    const classRef = instance.constructor;
    let moduleKey: string | undefined;
    for (const methodName of this.scanner.getAllMethodNames(prototype)) {
      const method = (prototype as Record<string, unknown>)[methodName];
      if (typeof method !== 'function') continue;
      const description = describeHandler(classRef, method, methodName);
      if (!description) continue;
      const owner = `${classRef.name}.${methodName}`;
      if (!wrapper.isDependencyTreeStatic() || wrapper.isTransient) {
        // One instance serves every session: a request-scoped or transient host has none to call.
        throw new Error(`${owner}: STOMP handlers must live in singleton-scoped classes`);
      }
      moduleKey ??= this.moduleKeyOf(wrapper.host);
      const { handle, filters } = composer.compose(instance, methodName, moduleKey);
      const invoker = new HandlerInvoker(owner, handle, filters, errors);
      for (const mapping of description.mappings) {
        const table = mapping.kind === 'message' ? router.messages : router.subscriptions;
        table.add(
          mapping.pattern,
          (variables) => {
            // What the handler reads from the captures must exist: a typo fails the boot, not a message.
            const missing = description.destinationVariables.find((name) => !variables.includes(name));
            if (missing !== undefined) {
              throw new Error(`${owner}: @DestinationVariable('${missing}') is not captured by '${mapping.pattern}'`);
            }
            return { invoker, sender: new ReturnValueSender(this.server, replyPlan(description, mapping.kind, variables, owner)) };
          },
          owner,
        );
        const frame = mapping.kind === 'message' ? 'SEND' : 'SUBSCRIBE';
        this.logger.log(`Mapped {${frame} ${router.prefixes.first}${mapping.pattern}} to ${owner}`);
      }
    }
  }

  /** The ModulesContainer key of the module that declares the host (what Nest's enhancer lookups need). */
  private moduleKeyOf(host: NestModule): string {
    for (const [key, moduleRef] of this.modules) {
      if (moduleRef === host) return key;
    }
    return '';
  }
}

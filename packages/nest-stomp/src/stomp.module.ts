import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { StompServer } from '@nest-stomp/core';
import type { StompModuleOptions } from './interfaces/stomp-module-options.interface.js';
import { STOMP_RESOLVED_OPTIONS, STOMP_SERVER } from './stomp.constants.js';
import { STOMP_MODULE_OPTIONS, StompConfigurableModule } from './stomp-module.definition.js';
import { resolveStompModuleOptions, type ResolvedStompModuleOptions } from './stomp-options.resolver.js';
import { StompServerHost } from './stomp-server.host.js';
import { StompHandlerExplorer } from './routing/stomp-handler.explorer.js';
import { StompEventListenersLoader } from './events/stomp-event-listeners.loader.js';
import { StompMessagingTemplate } from './messaging/stomp-messaging.template.js';
import { StompSecurityBinder } from './security/stomp-security.binder.js';

/**
 * STOMP for a Nest application: the core server with its embedded broker, served on the app's
 * HTTP server (WebSocket) and optionally on plain TCP, and the `@MessageMapping` /
 * `@SubscribeMapping` handlers of every module routed from the application destinations.
 *
 * ```ts
 * StompModule.forRoot({ endpoint: { path: '/ws' }, tcp: { port: 61613 }, broker: { type: 'simple' } })
 * StompModule.forRootAsync({ imports: [ConfigModule], inject: [ConfigService], useFactory: (c) => ({...}) })
 * ```
 */
@Module({
  // Discovery finds the @MessageMapping handlers of every module at bootstrap.
  imports: [DiscoveryModule],
  providers: [
    {
      provide: STOMP_RESOLVED_OPTIONS,
      useFactory: (options: StompModuleOptions) => resolveStompModuleOptions(options),
      inject: [STOMP_MODULE_OPTIONS],
    },
    {
      // Created here, started in StompServerHost.onApplicationBootstrap: providers may subscribe to
      // its events or set its application handler before any client can connect.
      provide: STOMP_SERVER,
      useFactory: (options: ResolvedStompModuleOptions) => new StompServer(options.server),
      inject: [STOMP_RESOLVED_OPTIONS],
    },
    { provide: StompServer, useExisting: STOMP_SERVER },
    StompServerHost,
    // Installs the @MessageMapping router in onModuleInit, before the host opens the endpoints.
    StompHandlerExplorer,
    // Wires @OnStompEvent methods to the server's session events, also in onModuleInit.
    StompEventListenersLoader,
    StompMessagingTemplate,
    // Resolves the authenticator and the rules' guards through DI in onModuleInit, before endpoints open.
    StompSecurityBinder,
  ],
  exports: [STOMP_SERVER, StompServer, STOMP_RESOLVED_OPTIONS, StompServerHost, StompMessagingTemplate],
})
export class StompModule extends StompConfigurableModule {}

import { Module } from '@nestjs/common';
import { StompServer } from '@nest-stomp/core';
import type { StompModuleOptions } from './interfaces/stomp-module-options.interface.js';
import { STOMP_RESOLVED_OPTIONS, STOMP_SERVER } from './stomp.constants.js';
import { STOMP_MODULE_OPTIONS, StompConfigurableModule } from './stomp-module.definition.js';
import { resolveStompModuleOptions, type ResolvedStompModuleOptions } from './stomp-options.resolver.js';
import { StompServerHost } from './stomp-server.host.js';

/**
 * STOMP for a Nest application: the core server with its embedded broker, served on the app's
 * HTTP server (WebSocket) and optionally on plain TCP.
 *
 * ```ts
 * StompModule.forRoot({ endpoint: { path: '/ws' }, tcp: { port: 61613 }, broker: { type: 'simple' } })
 * StompModule.forRootAsync({ imports: [ConfigModule], inject: [ConfigService], useFactory: (c) => ({...}) })
 * ```
 */
@Module({
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
  ],
  exports: [STOMP_SERVER, StompServer, STOMP_RESOLVED_OPTIONS, StompServerHost],
})
export class StompModule extends StompConfigurableModule {}

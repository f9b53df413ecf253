import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { StompModuleOptions } from './interfaces/stomp-module-options.interface.js';

/**
 * forRoot / forRootAsync come from Nest's builder, so `forRootAsync` accepts every form Nest users
 * know (useFactory + inject + imports, useClass, useExisting). The module is global by default:
 * there is one STOMP server per application and any provider may want to publish through it.
 */
export const {
  ConfigurableModuleClass: StompConfigurableModule,
  MODULE_OPTIONS_TOKEN: STOMP_MODULE_OPTIONS,
  OPTIONS_TYPE: STOMP_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: STOMP_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<StompModuleOptions>({ moduleName: 'Stomp' })
  .setClassMethodName('forRoot')
  .setFactoryMethodName('createStompOptions')
  .setExtras({ isGlobal: true }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();

/** What `forRoot` accepts: the options plus `isGlobal` (default true). */
export type StompModuleForRootOptions = typeof STOMP_OPTIONS_TYPE;
/** What `forRootAsync` accepts. */
export type StompModuleAsyncOptions = typeof STOMP_ASYNC_OPTIONS_TYPE;

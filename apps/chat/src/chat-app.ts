import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import type { LoggerService, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter, type NestExpressApplication } from '@nestjs/platform-express';
import { StompServerHost } from 'nest-stomp';
import { AppModule, CHAT_WS_PATH, type ChatModuleOptions } from './app.module.js';

export interface ChatAppOptions extends ChatModuleOptions {
  logger?: LoggerService | LogLevel[] | false;
}

/** Creates (does not start) the chat app; main.ts and the e2e test both build it here. */
export async function createChatApp(options: ChatAppOptions = {}): Promise<NestExpressApplication> {
  const { logger, ...moduleOptions } = options;
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.forRoot(moduleOptions),
    new ExpressAdapter(),
    logger === undefined ? {} : { logger },
  );
  app.disable('x-powered-by');
  return app;
}

export interface ChatAddresses {
  http: string;
  ws: string;
  tcp: string | undefined;
}

/** Where a listening chat app can be reached (ports read back, so port 0 works). */
export function chatAddresses(app: NestExpressApplication, hostname = 'localhost'): ChatAddresses {
  const { port } = app.getHttpServer().address() as AddressInfo;
  const tcp = app.get(StompServerHost).tcpEndpoint;
  return {
    http: `http://${hostname}:${port}`,
    ws: `ws://${hostname}:${port}${CHAT_WS_PATH}`,
    tcp: tcp ? `tcp://${tcp.host}:${tcp.port}` : undefined,
  };
}

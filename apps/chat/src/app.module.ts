import { Module, type DynamicModule } from '@nestjs/common';
import { StompModule, type StompBrokerOptions } from 'nest-stomp';
import { CHAT_ASSETS, loadChatAssets } from './chat-assets.js';
import { ChatPageController } from './chat-page.controller.js';
import { authenticateChatUser } from './chat/chat-auth.js';
import { ChatModule } from './chat/chat.module.js';

/** Path of the STOMP WebSocket endpoint; the page connects to it on its own origin. */
export const CHAT_WS_PATH = '/ws';

export interface ChatModuleOptions {
  /** STOMP TCP port; 0 picks a free one. Default 61613, STOMP's standard port. */
  tcpPort?: number;
  /** Interface of the TCP listener. Default '127.0.0.1'. */
  tcpHost?: string;
  /** Default: the embedded broker. `{ type: 'relay', host, port }`: rooms live in RabbitMQ/ActiveMQ. */
  broker?: StompBrokerOptions;
}

@Module({})
export class AppModule {
  static forRoot(options: ChatModuleOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        StompModule.forRoot({
          endpoint: { path: CHAT_WS_PATH },
          tcp: { port: options.tcpPort ?? 61613, host: options.tcpHost ?? '127.0.0.1' },
          broker: options.broker ?? { type: 'simple' },
          // CONNECT `login` → the session's principal (no password in the demo).
          authenticate: authenticateChatUser,
        }),
        ChatModule,
      ],
      controllers: [ChatPageController],
      providers: [{ provide: CHAT_ASSETS, useFactory: loadChatAssets }],
    };
  }
}

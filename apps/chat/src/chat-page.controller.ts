import { Controller, Get, Header, Inject } from '@nestjs/common';
import { CHAT_ASSETS, type ChatAssets } from './chat-assets.js';

/** Serves the chat page and its scripts. Messages themselves never pass through HTTP: they are STOMP. */
@Controller()
export class ChatPageController {
  constructor(@Inject(CHAT_ASSETS) private readonly assets: ChatAssets) {}

  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-cache')
  index(): string {
    return this.assets.indexHtml;
  }

  @Get('chat.js')
  @Header('Content-Type', 'text/javascript; charset=utf-8')
  @Header('Cache-Control', 'no-cache')
  chatJs(): string {
    return this.assets.chatJs;
  }

  @Get('chat.css')
  @Header('Content-Type', 'text/css; charset=utf-8')
  @Header('Cache-Control', 'no-cache')
  chatCss(): string {
    return this.assets.chatCss;
  }

  @Get('vendor/stomp.umd.min.js')
  @Header('Content-Type', 'text/javascript; charset=utf-8')
  @Header('Cache-Control', 'public, max-age=86400')
  stompJs(): string {
    // A string, not a Buffer: Nest's Express router would serialise a Buffer as JSON.
    return this.assets.stompJs;
  }
}

import { Controller, UsePipes, ValidationPipe } from '@nestjs/common';
import {
  DestinationVariable,
  MessageMapping,
  Payload,
  Principal,
  SendTo,
  SendToUser,
  StompException,
  SubscribeMapping,
  type StompPrincipal,
} from 'nest-stomp';
import { ANONYMOUS, nextLineId, type ChatLine, type PresenceLine, type PrivateLine, type RoomSummary, type TypingLine } from './chat-lines.js';
import { ChatMessageDto, TypingDto } from './chat-message.dto.js';
import { PresenceService } from './presence.service.js';
import { RoomDirectory } from './room-directory.service.js';
import { RoomNamePipe } from './room-name.pipe.js';

/**
 * The chat's STOMP API (the page and any STOMP client use the same):
 *
 * | frame                                       | reply |
 * | ------------------------------------------- | ----- |
 * | SEND /app/chat/{room} `{text}`              | a ChatLine on /topic/chat.{room} |
 * | SEND /app/chat/{room}/typing `{typing}`     | a TypingLine on /topic/chat.{room}.typing |
 * | SEND /app/private/{user} `{text}`           | a PrivateLine on both users' /user/queue/private |
 * | SUBSCRIBE /app/rooms                        | the room list, once (updates: /topic/rooms) |
 * | SUBSCRIBE /app/presence                     | who is online, once (updates: /topic/presence) |
 * | SUBSCRIBE /app/chat/{room}/history          | the room's last lines, once |
 *
 * Invalid payloads and room names go back to the sender on /user/queue/errors.
 */
@Controller()
@UsePipes(new ValidationPipe({ transform: true, whitelist: true }))
export class ChatController {
  constructor(
    private readonly rooms: RoomDirectory,
    private readonly presence: PresenceService,
  ) {}

  @MessageMapping('/chat/{room}')
  @SendTo('/topic/chat.{room}')
  post(
    @Payload() message: ChatMessageDto,
    @DestinationVariable('room', RoomNamePipe) room: string,
    @Principal() principal?: StompPrincipal,
  ): ChatLine {
    const line: ChatLine = {
      id: nextLineId(),
      type: 'message',
      room,
      from: principal?.name ?? ANONYMOUS,
      text: message.text,
      at: new Date().toISOString(),
    };
    this.rooms.record(line);
    return line;
  }

  @MessageMapping('/chat/{room}/typing')
  @SendTo('/topic/chat.{room}.typing')
  typing(
    @Payload() state: TypingDto,
    @DestinationVariable('room', RoomNamePipe) room: string,
    @Principal() principal?: StompPrincipal,
  ): TypingLine {
    return { room, from: principal?.name ?? ANONYMOUS, typing: state.typing };
  }

  @MessageMapping('/private/{to}')
  @SendTo('/user/{to}/queue/private') // the recipient's sessions
  @SendToUser('/queue/private') // and the sender's, so every tab of the conversation shows it
  whisper(
    @Payload() message: ChatMessageDto,
    @DestinationVariable('to') to: string,
    @Principal() principal?: StompPrincipal,
  ): PrivateLine {
    if (principal === undefined) throw new StompException('Connect with a name to send private messages');
    if (to === principal.name) throw new StompException('That is you: pick someone else');
    if (!this.presence.isOnline(to)) throw new StompException(`${to} is not online`);
    return { id: nextLineId(), type: 'private', from: principal.name, to, text: message.text, at: new Date().toISOString() };
  }

  @SubscribeMapping('/rooms')
  roomList(): RoomSummary[] {
    return this.rooms.list();
  }

  @SubscribeMapping('/presence')
  whoIsOnline(): PresenceLine {
    return { users: this.presence.online() };
  }

  @SubscribeMapping('/chat/{room}/history')
  history(@DestinationVariable('room', RoomNamePipe) room: string): ChatLine[] {
    return this.rooms.history(room);
  }
}

import { Module } from '@nestjs/common';
import { ChatController } from './chat.controller.js';
import { PresenceService } from './presence.service.js';
import { RoomDirectory } from './room-directory.service.js';

/** The chat itself: rooms, history, presence and private messages, all over STOMP. */
@Module({
  controllers: [ChatController],
  providers: [RoomDirectory, PresenceService],
  exports: [RoomDirectory, PresenceService],
})
export class ChatModule {}

import { Injectable, type PipeTransform } from '@nestjs/common';
import { StompException } from 'nest-stomp';

/** A room is one destination segment: `/topic/chat.<room>` must never turn into a pattern or two rooms. */
export const ROOM_NAME = /^[a-z0-9_-]{1,32}$/;

/** Checks the `{room}` of a destination; a bad one goes back to the sender on /user/queue/errors. */
@Injectable()
export class RoomNamePipe implements PipeTransform<string, string> {
  transform(room: string): string {
    if (!ROOM_NAME.test(room)) {
      throw new StompException(`Invalid room name '${room.slice(0, 40)}': 1 to 32 of a-z, 0-9, '-' and '_'`);
    }
    return room;
  }
}

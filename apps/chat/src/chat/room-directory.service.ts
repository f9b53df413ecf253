import { Injectable } from '@nestjs/common';
import { StompMessagingTemplate } from 'nest-stomp';
import type { ChatLine, RoomSummary } from './chat-lines.js';

/** Rooms that always exist. */
export const DEFAULT_ROOMS = ['general', 'random'];
/** Lines of a room kept for `/app/chat/<room>/history`. */
export const HISTORY_SIZE = 50;
/** Most rooms the directory keeps (a room is created by posting to or joining it). */
export const MAX_ROOMS = 100;

interface Room {
  history: ChatLine[];
  /** User → how many of its sessions are in the room. */
  members: Map<string, number>;
}

/**
 * The rooms, their recent lines and who is in them, in memory. Every change of the room list or
 * of a room's members is announced on `/topic/rooms` with the whole list (small, and a page that
 * missed one update is right again with the next).
 */
@Injectable()
export class RoomDirectory {
  private readonly rooms = new Map<string, Room>();

  constructor(private readonly template: StompMessagingTemplate) {
    for (const name of DEFAULT_ROOMS) this.rooms.set(name, { history: [], members: new Map() });
  }

  list(): RoomSummary[] {
    return [...this.rooms.entries()]
      .map(([name, room]) => ({ name, members: [...room.members.keys()].sort() }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  history(name: string): ChatLine[] {
    return this.rooms.get(name)?.history ?? [];
  }

  /** Keeps a line in its room's history (creating the room). */
  record(line: ChatLine): void {
    const room = this.room(line.room);
    room.history.push(line);
    if (room.history.length > HISTORY_SIZE) room.history.shift();
  }

  /** One more session of `user` in `name`; true when the user was not in the room before. */
  join(name: string, user: string): boolean {
    const members = this.room(name).members;
    const count = members.get(user) ?? 0;
    members.set(user, count + 1);
    if (count === 0) this.announce();
    return count === 0;
  }

  /** One session of `user` less in `name`; true when that was the user's last one there. */
  leave(name: string, user: string): boolean {
    const members = this.rooms.get(name)?.members;
    const count = members?.get(user);
    if (members === undefined || count === undefined) return false;
    if (count > 1) {
      members.set(user, count - 1);
      return false;
    }
    members.delete(user);
    this.announce();
    return true;
  }

  private room(name: string): Room {
    let room = this.rooms.get(name);
    if (room === undefined) {
      if (this.rooms.size >= MAX_ROOMS) this.dropIdleRoom();
      room = { history: [], members: new Map() };
      this.rooms.set(name, room);
      this.announce();
    }
    return room;
  }

  /** Makes space: the oldest room nobody is in (never a default one). */
  private dropIdleRoom(): void {
    for (const [name, room] of this.rooms) {
      if (room.members.size === 0 && !DEFAULT_ROOMS.includes(name)) {
        this.rooms.delete(name);
        return;
      }
    }
  }

  private announce(): void {
    this.template.convertAndSend('/topic/rooms', this.list());
  }
}

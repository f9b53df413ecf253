import { Injectable } from '@nestjs/common';
import {
  OnStompEvent,
  SessionConnectedEvent,
  SessionDisconnectEvent,
  SessionSubscribeEvent,
  SessionUnsubscribeEvent,
  StompMessagingTemplate,
} from 'nest-stomp';
import { nextLineId, type ChatLine, type PresenceLine } from './chat-lines.js';
import { RoomDirectory } from './room-directory.service.js';
import { ROOM_NAME } from './room-name.pipe.js';

const ROOM_TOPIC = '/topic/chat.';

/** What presence knows of one named session. */
interface TrackedSession {
  user: string;
  /** Subscription id → room, for the room topics it subscribed to. */
  rooms: Map<string, string>;
}

/**
 * Who is online and who is in which room, from the STOMP session events alone: a user is online
 * while at least one of its sessions is connected, and in a room while one of its sessions
 * subscribes to `/topic/chat.<room>`. Changes go to `/topic/presence` and, as join/leave lines, to
 * the room itself. Anonymous sessions have no presence.
 */
@Injectable()
export class PresenceService {
  private readonly sessions = new Map<string, TrackedSession>();
  /** User → its connected session count. */
  private readonly users = new Map<string, number>();

  constructor(
    private readonly template: StompMessagingTemplate,
    private readonly rooms: RoomDirectory,
  ) {}

  online(): string[] {
    return [...this.users.keys()].sort();
  }

  isOnline(user: string): boolean {
    return this.users.has(user);
  }

  @OnStompEvent('session-connected')
  connected(event: SessionConnectedEvent): void {
    const user = event.principal?.name;
    if (user === undefined) return;
    this.sessions.set(event.sessionId, { user, rooms: new Map() });
    const count = this.users.get(user) ?? 0;
    this.users.set(user, count + 1);
    if (count === 0) this.announce(user, true);
  }

  @OnStompEvent('session-subscribe')
  subscribed(event: SessionSubscribeEvent): void {
    const session = this.sessions.get(event.sessionId);
    const room = roomOf(event.destination);
    if (session === undefined || room === undefined) return;
    session.rooms.set(event.subscriptionId, room);
    if (this.rooms.join(room, session.user)) this.line('join', room, session.user);
  }

  @OnStompEvent('session-unsubscribe')
  unsubscribed(event: SessionUnsubscribeEvent): void {
    const session = this.sessions.get(event.sessionId);
    const room = session?.rooms.get(event.subscriptionId);
    if (session === undefined || room === undefined) return;
    session.rooms.delete(event.subscriptionId);
    if (this.rooms.leave(room, session.user)) this.line('leave', room, session.user);
  }

  @OnStompEvent('session-disconnect')
  disconnected(event: SessionDisconnectEvent): void {
    const session = this.sessions.get(event.sessionId);
    if (session === undefined) return;
    this.sessions.delete(event.sessionId);
    for (const room of session.rooms.values()) {
      if (this.rooms.leave(room, session.user)) this.line('leave', room, session.user);
    }
    const count = this.users.get(session.user) ?? 1;
    if (count > 1) {
      this.users.set(session.user, count - 1);
      return;
    }
    this.users.delete(session.user);
    this.announce(session.user, false);
  }

  private announce(user: string, online: boolean): void {
    const line: PresenceLine = { user, online, users: this.online() };
    this.template.convertAndSend('/topic/presence', line);
  }

  private line(type: 'join' | 'leave', room: string, user: string): void {
    const line: ChatLine = { id: nextLineId(), type, room, from: user, at: new Date().toISOString() };
    this.template.convertAndSend(`${ROOM_TOPIC}${room}`, line);
  }
}

/** `/topic/chat.general` → `general`; anything else (typing topics, patterns) → undefined. */
function roomOf(destination: string): string | undefined {
  if (!destination.startsWith(ROOM_TOPIC)) return undefined;
  const room = destination.slice(ROOM_TOPIC.length);
  return ROOM_NAME.test(room) ? room : undefined;
}

import { Injectable } from '@nestjs/common';
import {
  OnStompEvent,
  SessionConnectedEvent,
  SessionDisconnectEvent,
  SessionSubscribeEvent,
  SessionUnsubscribeEvent,
  StompMessagingTemplate,
  StompServer,
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
 *
 * Online means on any instance: with `BROKER=relay` several chat instances share one RabbitMQ, and
 * the server's multi-server user registry lists the users of all of them (each instance shares its
 * users when one comes or goes). Room membership and history stay per instance.
 */
@Injectable()
export class PresenceService {
  private readonly sessions = new Map<string, TrackedSession>();

  constructor(
    private readonly template: StompMessagingTemplate,
    private readonly rooms: RoomDirectory,
    private readonly server: StompServer,
  ) {}

  /** Everyone online on any instance, sorted. */
  online(): string[] {
    return this.server.multiServerUserRegistry
      .getUsers()
      .map((user) => user.name)
      .sort();
  }

  isOnline(user: string): boolean {
    return this.server.multiServerUserRegistry.getUser(user) !== undefined;
  }

  /** Sessions of `user` on every instance (the registry has this session already, or no longer). */
  private sessionCount(user: string): number {
    return this.server.multiServerUserRegistry.getUser(user)?.sessions.size ?? 0;
  }

  @OnStompEvent('session-connected')
  connected(event: SessionConnectedEvent): void {
    const user = event.principal?.name;
    if (user === undefined) return;
    this.sessions.set(event.sessionId, { user, rooms: new Map() });
    // Only the user's first session anywhere makes news.
    if (this.sessionCount(user) === 1) this.announce(user, true);
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
    if (this.sessionCount(session.user) === 0) this.announce(session.user, false);
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

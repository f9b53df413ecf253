/**
 * What the chat puts on the wire (JSON). Everything on a room's topic `/topic/chat.<room>` is a
 * ChatLine; its `type` says what happened.
 */
export interface ChatLine {
  /** Unique per server run: the page drops a line it already shows (history and live may overlap). */
  id: string;
  type: 'message' | 'join' | 'leave';
  room: string;
  /** The author (message) or who came or went (join, leave). */
  from: string;
  /** message only. */
  text?: string;
  /** ISO timestamp set by the server. */
  at: string;
}

/** On `/user/queue/private` of both parties. */
export interface PrivateLine {
  id: string;
  type: 'private';
  from: string;
  to: string;
  text: string;
  at: string;
}

/** On `/topic/chat.<room>.typing`. */
export interface TypingLine {
  room: string;
  from: string;
  typing: boolean;
}

/** `/app/rooms` (one reply) and `/topic/rooms` (every change): each room with who is in it. */
export interface RoomSummary {
  name: string;
  members: string[];
}

/** `/app/presence` (one reply) and `/topic/presence` (every change). */
export interface PresenceLine {
  /** Who just came or went; absent in the snapshot. */
  user?: string;
  online?: boolean;
  /** Everyone online now, sorted. */
  users: string[];
}

let lines = 0;
const run = Date.now().toString(36);

export function nextLineId(): string {
  return `${run}-${++lines}`;
}

/** Anonymous sessions post under this name. */
export const ANONYMOUS = 'anonymous';

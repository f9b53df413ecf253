import type { StompFrame } from '../codec/stomp-frame.js';
import type { StompSession } from './stomp-session.js';

/**
 * Where frames for non-broker destinations go (the Nest layer's `@MessageMapping` /
 * `@SubscribeMapping` router plugs in here). A returned Promise holds back the session's later
 * frames until it settles, so one session's frames take effect in the order they were sent.
 */
export interface ApplicationHandler {
  /** True when `destination` is an application destination (e.g. under `/app`). */
  handles(destination: string): boolean;
  send(session: StompSession, frame: StompFrame, destination: string): void | Promise<void>;
  subscribe(session: StompSession, frame: StompFrame, destination: string, id: string): void | Promise<void>;
}

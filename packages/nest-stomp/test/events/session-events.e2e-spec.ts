import 'reflect-metadata';
import { Controller, Injectable } from '@nestjs/common';
import {
  OnStompEvent,
  SessionConnectEvent,
  SessionConnectedEvent,
  SessionDisconnectEvent,
  SessionSubscribeEvent,
  SessionUnsubscribeEvent,
  StompErrorCode,
  StompMessagingTemplate,
  SubscribeMapping,
  type StompSessionEvent,
} from '../../src/index.js';
import { connectWithHeaders, bootRoutingApp, type RoutingApp } from '../routing/routing-test-app.js';
import { wsUrl } from '../support/stomp-test-clients.js';

/** One recorded event: what the listener saw at the moment it was called. */
interface Seen {
  type: string;
  event: StompSessionEvent;
  /** `event.principal?.name` when the listener ran (principals are set between connect and connected). */
  principal: string | undefined;
}

/** Events in arrival order; `when` resolves on the first matching one (already seen or still to come). */
@Injectable()
class EventLog {
  readonly seen: Seen[] = [];
  private readonly waiters: Array<{ match: (s: Seen) => boolean; resolve: (s: Seen) => void }> = [];

  record(type: string, event: StompSessionEvent): void {
    const entry = { type, event, principal: event.principal?.name };
    this.seen.push(entry);
    for (const waiter of [...this.waiters]) {
      if (!waiter.match(entry)) continue;
      this.waiters.splice(this.waiters.indexOf(waiter), 1);
      waiter.resolve(entry);
    }
  }

  when(type: string, sessionId?: string): Promise<Seen> {
    const match = (s: Seen) => s.type === type && (sessionId === undefined || s.event.sessionId === sessionId);
    const found = this.seen.find(match);
    if (found) return Promise.resolve(found);
    return new Promise((resolve) => this.waiters.push({ match, resolve }));
  }

  of(sessionId: string): string[] {
    return this.seen.filter((s) => s.event.sessionId === sessionId).map((s) => s.type);
  }
}

@Injectable()
class SessionAudit {
  constructor(
    private readonly log: EventLog,
    private readonly template: StompMessagingTemplate,
  ) {}

  @OnStompEvent('session-connect')
  connect(event: SessionConnectEvent) {
    this.log.record('connect', event);
  }

  @OnStompEvent('session-connected')
  connected(event: SessionConnectedEvent) {
    this.log.record('connected', event);
    // A listener may talk to the session at once: the message waits in its user queue until it subscribes.
    this.template.convertAndSendToSession(event.sessionId, '/queue/welcome', `welcome ${event.principal?.name ?? 'guest'}`);
  }

  @OnStompEvent('session-subscribe')
  subscribe(event: SessionSubscribeEvent) {
    this.log.record('subscribe', event);
  }

  @OnStompEvent('session-unsubscribe')
  unsubscribe(event: SessionUnsubscribeEvent) {
    this.log.record('unsubscribe', event);
  }

  @OnStompEvent('session-disconnect')
  disconnect(event: SessionDisconnectEvent) {
    this.log.record('disconnect', event);
  }
}

/** Listeners that fail must not hurt the session (nor the listeners after them). */
@Injectable()
class FaultyListeners {
  @OnStompEvent('session-connected')
  throws() {
    throw new Error('sync listener failure');
  }

  @OnStompEvent('session-connected')
  async rejects() {
    await Promise.resolve();
    throw new Error('async listener failure');
  }
}

/** Controllers are scanned too, and one method may listen to several events. */
@Controller()
class RoomsController {
  readonly lifecycle: string[] = [];

  @SubscribeMapping('/rooms')
  rooms() {
    return ['general'];
  }

  @OnStompEvent('session-connected')
  @OnStompEvent('session-disconnect')
  track(event: SessionConnectedEvent | SessionDisconnectEvent) {
    this.lifecycle.push(event instanceof SessionDisconnectEvent ? `out:${event.reason}` : 'in');
  }
}

describe('@OnStompEvent session events', () => {
  let t: RoutingApp;
  let log: EventLog;
  beforeAll(async () => {
    t = await bootRoutingApp({
      controllers: [RoomsController],
      providers: [EventLog, SessionAudit, FaultyListeners],
      stomp: {
        authenticate: ({ headers }) => {
          if (headers.login === 'intruder') throw new Error('not you');
          return headers.login ? { name: headers.login } : undefined;
        },
      },
    });
    log = t.app.get(EventLog);
  });
  afterAll(() => t.close());

  /** Connects `login` and returns the client with its session id (from its SessionConnectedEvent). */
  async function connect(login?: string) {
    const before = new Set(t.server.sessions.keys());
    const client = await t.connect(login);
    const id = [...t.server.sessions.keys()].find((key) => !before.has(key))!;
    await log.when('connected', id);
    return { client, id };
  }

  it('connect carries the CONNECT headers before authentication; connected has the principal', async () => {
    const { id } = await connect('alice');
    const connect_ = await log.when('connect', id);
    expect(connect_.event).toBeInstanceOf(SessionConnectEvent);
    expect((connect_.event as SessionConnectEvent).headers.login).toBe('alice');
    expect(connect_.principal).toBeUndefined();
    const connected = await log.when('connected', id);
    expect(connected.event).toBeInstanceOf(SessionConnectedEvent);
    expect(connected.principal).toBe('alice');
    expect(connected.event.session.id).toBe(id);
    expect(log.of(id)).toEqual(['connect', 'connected']);
  });

  it('subscribe and unsubscribe carry the id and the destination as the client wrote it', async () => {
    const { client, id } = await connect('bob');
    const subscription = client.client.subscribe('/user/queue/welcome', () => undefined, { id: 'w-1', 'x-note': 'n' });
    const subscribed = (await log.when('subscribe', id)).event as SessionSubscribeEvent;
    expect(subscribed).toBeInstanceOf(SessionSubscribeEvent);
    expect(subscribed.subscriptionId).toBe('w-1');
    expect(subscribed.destination).toBe('/user/queue/welcome');
    expect(subscribed.headers['x-note']).toBe('n');
    subscription.unsubscribe();
    const unsubscribed = (await log.when('unsubscribe', id)).event as SessionUnsubscribeEvent;
    expect(unsubscribed).toBeInstanceOf(SessionUnsubscribeEvent);
    expect(unsubscribed.subscriptionId).toBe('w-1');
    expect(unsubscribed.destination).toBe('/user/queue/welcome');
  });

  it('a SUBSCRIBE answered by a @SubscribeMapping is a subscribe event too', async () => {
    const { client, id } = await connect();
    const rooms = await client.subscribe('/app/rooms');
    expect(JSON.parse((await rooms.next()).body)).toEqual(['general']);
    const subscribed = (await log.when('subscribe', id)).event as SessionSubscribeEvent;
    expect(subscribed.destination).toBe('/app/rooms');
  });

  it('a listener may send to the session it hears about (a welcome waiting in its user queue)', async () => {
    const { client } = await connect('carol');
    const welcome = await client.subscribe('/user/queue/welcome');
    expect((await welcome.next()).body).toBe('welcome carol');
  });

  it("disconnect: reason 'disconnect' after a client DISCONNECT, once", async () => {
    const { client, id } = await connect('dave');
    await client.disconnect();
    const seen = await log.when('disconnect', id);
    const event = seen.event as SessionDisconnectEvent;
    expect(event).toBeInstanceOf(SessionDisconnectEvent);
    expect(event.reason).toBe('disconnect');
    expect(event.error).toBeUndefined();
    expect(event.code).toBeUndefined();
    expect(event.wasConnected).toBe(true);
    expect(seen.principal).toBe('dave');
    expect(log.of(id)).toEqual(['connect', 'connected', 'disconnect']);
  });

  it("disconnect: reason 'connection-closed' when the socket goes away without DISCONNECT", async () => {
    const { client, id } = await connect('erin');
    client.client.forceDisconnect();
    const event = (await log.when('disconnect', id)).event as SessionDisconnectEvent;
    expect(event.reason).toBe('connection-closed');
    expect(event.error).toBeUndefined();
  });

  it("disconnect: reason 'error' with the error's code when the server ends the session", async () => {
    const { client, id } = await connect('frank');
    client.client.subscribe('/nowhere/x', () => undefined);
    const event = (await log.when('disconnect', id)).event as SessionDisconnectEvent;
    expect(event.reason).toBe('error');
    expect(event.code).toBe(StompErrorCode.NO_HANDLER);
    expect(event.error?.message).toMatch(/\/nowhere\/x/);
    expect((await client.error).headers.message).toMatch(/\/nowhere\/x/);
  });

  it('a refused CONNECT: connect, then disconnect with wasConnected false, never connected', async () => {
    const before = log.seen.length;
    await expect(connectWithHeaders(wsUrl(t.app.getHttpServer()), { login: 'intruder' })).rejects.toThrow(/STOMP ERROR/);
    const attempt = log.seen.slice(before).find((s) => s.type === 'connect' && (s.event as SessionConnectEvent).headers.login === 'intruder')!;
    const id = attempt.event.sessionId;
    const event = (await log.when('disconnect', id)).event as SessionDisconnectEvent;
    expect(event.code).toBe(StompErrorCode.AUTHENTICATION_FAILED);
    expect(event.wasConnected).toBe(false);
    expect(log.of(id)).toEqual(['connect', 'disconnect']);
  });

  it('a failing listener is logged with its name; the session and the other listeners go on', async () => {
    const { client, id } = await connect('grace');
    const rooms = await client.subscribe('/app/rooms');
    expect(JSON.parse((await rooms.next()).body)).toEqual(['general']);
    expect(log.of(id)).toContain('subscribe');
    const errors = t.logger.lines.filter((line) => line.level === 'error').map((line) => line.message);
    expect(errors).toContain("@OnStompEvent('session-connected') FaultyListeners.throws failed for a session event");
    expect(errors).toContain("@OnStompEvent('session-connected') FaultyListeners.rejects failed for a session event");
  });

  it('controller methods listen too, one method to several events', async () => {
    const controller = t.app.get(RoomsController);
    const start = controller.lifecycle.length;
    const { client, id } = await connect('heidi');
    await client.disconnect();
    await log.when('disconnect', id);
    expect(controller.lifecycle.slice(start)).toEqual(['in', 'out:disconnect']);
  });
});

describe('@OnStompEvent at shutdown', () => {
  it("every open session gets exactly one disconnect, with code STOMP_SERVER_SHUTDOWN; listeners are then removed", async () => {
    const t = await bootRoutingApp({ providers: [EventLog, SessionAudit] });
    const log = t.app.get(EventLog);
    await t.connect('ivan');
    await t.connect();
    const ids = [...t.server.sessions.keys()];
    await t.app.close();
    const disconnects = log.seen.filter((s) => s.type === 'disconnect');
    expect(disconnects.map((s) => s.event.sessionId).sort()).toEqual(ids.sort());
    for (const { event } of disconnects) expect((event as SessionDisconnectEvent).code).toBe(StompErrorCode.SERVER_SHUTDOWN);
    expect(t.server.listenerCount('session-closed')).toBe(0);
    expect(t.server.listenerCount('session-connected')).toBe(0);
  });
});

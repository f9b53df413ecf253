// StompModule with `broker: { type: 'relay' }` against the real brokers: controllers do not
// change; @SendTo, @SendToUser and the template go over the relay's system session, /app stays with
// controllers, destination rules (Nest guards) still decide; with the broker away the template fails
// clearly.
import 'reflect-metadata';
import { createServer } from 'node:net';
import { Controller, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import {
  DestinationVariable,
  MessageMapping,
  Payload,
  Principal,
  SendTo,
  SendToUser,
  StompError,
  StompErrorCode,
  StompMessagingTemplate,
  type StompDestinationRule,
  type StompMessage,
  type StompSession,
} from '../src/index.js';
import { describeWithBroker, EXTERNAL_BROKERS, probeAll, unique } from '../../../test/support/brokers.js';
import { bootRoutingApp, json, sendWithReceipt, type RoutingApp } from './routing/routing-test-app.js';

const reachable = await probeAll();

@Controller()
@MessageMapping('/chat')
class ChatController {
  @MessageMapping('/room/{room}')
  @SendTo('/topic/chat.{room}')
  post(@Payload() msg: { text: string }, @DestinationVariable('room') room: string, @Principal() user?: { name: string }) {
    return { text: msg.text, room, from: user?.name };
  }

  @MessageMapping('/whisper')
  @SendToUser('/queue/whispers')
  whisper(@Payload() body: { text: string }) {
    return { echo: body.text };
  }
}

/** Who may use `/topic/members.**`; tests change it. */
@Injectable()
class Members {
  readonly names = new Set(['alice', 'carol']);
  /** Every MESSAGE decision: user and verdict, in order. */
  readonly messageChecks: Array<{ user: string | undefined; allowed: boolean }> = [];
  onMessageCheck: (() => void) | undefined;
}

@Injectable()
class MemberGuard implements CanActivate {
  constructor(private readonly members: Members) {}
  canActivate(context: ExecutionContext): boolean {
    const user = context.switchToWs().getClient<StompSession>().principal?.name;
    const allowed = user !== undefined && this.members.names.has(user);
    if (context.switchToWs().getData<StompMessage>().command === 'MESSAGE') {
      this.members.messageChecks.push({ user, allowed });
      this.members.onMessageCheck?.();
    }
    return allowed;
  }
}

const RULES: StompDestinationRule[] = [
  { frames: ['SUBSCRIBE', 'SEND', 'MESSAGE'], destinations: ['/topic/members.**'], access: [MemberGuard] },
  { frames: ['SUBSCRIBE', 'SEND'], destinations: ['/queue/**'], access: 'deny' },
  { access: 'permit' },
];

for (const broker of EXTERNAL_BROKERS) {
  describeWithBroker(broker, reachable.get(broker)!)(`StompModule on the relay to ${broker.name}`, () => {
    let t: RoutingApp;
    beforeEach(async () => {
      t = await bootRoutingApp({
        controllers: [ChatController],
        providers: [Members, MemberGuard],
        stomp: {
          rules: RULES,
          broker: {
            type: 'relay',
            host: broker.host,
            port: broker.port,
            reconnectDelay: 200,
            userDestinationBroadcast: `/topic/${unique('nest-broadcast.')}`,
            heartbeat: [0, 0],
          },
        },
      });
      await t.server.relay!.whenAvailable();
    });
    afterEach(() => t.close());

    it('a controller reply (@SendTo) reaches subscribers through the broker', async () => {
      const room = unique('r');
      const alice = await t.connect('alice');
      const inbox = await alice.subscribe(`/topic/chat.${room}`);
      await sendWithReceipt(alice.client, `/app/chat/room/${room}`, JSON.stringify({ text: 'hi' }), { 'content-type': 'application/json' });
      const m = await inbox.next();
      expect(json(m.body)).toEqual({ text: 'hi', room, from: 'alice' });
      expect(m.headers.destination).toBe(`/topic/chat.${room}`);
      expect(t.logger.lines.some((l) => l.message.startsWith(`STOMP broker relay connected to ${broker.host}:${broker.port}`))).toBe(true);
    });

    it('@SendToUser replies to the sender through a per-session broker queue', async () => {
      const bob = await t.connect(unique('bob-'));
      const inbox = await bob.subscribe('/user/queue/whispers');
      await sendWithReceipt(bob.client, '/app/chat/whisper', JSON.stringify({ text: 'psst' }), { 'content-type': 'application/json' });
      const m = await inbox.next();
      expect(json(m.body)).toEqual({ echo: 'psst' });
      expect(m.headers.destination).toBe('/user/queue/whispers');
    });

    it('the template sends to broker destinations and to users through the system session', async () => {
      const template = t.app.get(StompMessagingTemplate);
      const topic = `/topic/${unique('tpl.')}`;
      const bob = unique('bob-');
      const client = await t.connect(bob);
      const [news, inbox] = await Promise.all([client.subscribe(topic), client.subscribe('/user/queue/notes')]);
      template.convertAndSend(topic, { n: 1 });
      const m = await news.next();
      expect(json(m.body)).toEqual({ n: 1 });
      expect(m.headers['content-type']).toMatch(/^application\/json/);
      template.convertAndSendToUser(bob, '/queue/notes', 'for bob');
      const note = await inbox.next();
      expect(note.body).toBe('for bob');
      expect(note.headers.destination).toBe('/user/queue/notes');
    });

    it('destination rules with a Nest guard still decide SUBSCRIBE, SEND and every relayed MESSAGE', async () => {
      const room = `/topic/members.${unique('r')}`;
      const [alice, carol] = [await t.connect('alice'), await t.connect('carol')];
      const [aliceInbox, carolInbox] = await Promise.all([alice.subscribe(room), carol.subscribe(room)]);
      alice.client.publish({ destination: room, body: 'one' });
      expect((await aliceInbox.next()).body).toBe('one');
      expect((await carolInbox.next()).body).toBe('one');

      // A non-member: ERROR Access denied, closed; the broker never saw the SUBSCRIBE.
      const mallory = await t.connect('mallory');
      mallory.client.subscribe(room, () => undefined, { receipt: 'spy' });
      const error = await mallory.error;
      expect(error.headers.message).toBe('Access denied');
      expect(error.headers['receipt-id']).toBe('spy');
      const raw = await t.connect('alice');
      raw.client.publish({ destination: `/queue/${unique('q')}`, body: 'no' }); // raw queues: denied for all
      expect((await raw.error).headers.message).toBe('Access denied');

      // The MESSAGE rule runs on what the broker delivers: alice leaves, her copy of 'two' is dropped.
      const members = t.app.get(Members);
      members.names.delete('alice');
      const aliceRefused = new Promise<void>((resolve) => {
        members.onMessageCheck = () => {
          if (members.messageChecks.some((c) => c.user === 'alice' && !c.allowed)) resolve();
        };
      });
      t.app.get(StompMessagingTemplate).convertAndSend(room, 'two');
      expect((await carolInbox.next()).body).toBe('two');
      await aliceRefused;
      expect(members.messageChecks.filter((c) => c.user === 'alice').map((c) => c.allowed)).toEqual([true, false]);
      expect(aliceInbox.waiting).toBe(0);
    });
  });
}

describe('StompModule on the relay with the broker away', () => {
  it('starts anyway; the template throws STOMP_BROKER_UNAVAILABLE instead of losing the message', async () => {
    // A port nothing listens on: taken, then freed.
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    const t = await bootRoutingApp({ stomp: { broker: { type: 'relay', host: '127.0.0.1', port, reconnectDelay: 60_000 } } });
    try {
      expect(t.server.brokerAvailable).toBe(false);
      const template = t.app.get(StompMessagingTemplate);
      let thrown: unknown;
      try {
        template.convertAndSend('/topic/anything', { n: 1 });
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(StompError);
      expect((thrown as StompError).code).toBe(StompErrorCode.BROKER_UNAVAILABLE);
    } finally {
      await t.close();
    }
  });
});

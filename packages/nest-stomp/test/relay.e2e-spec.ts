// StompModule with `broker: { type: 'relay' }` against the real brokers: controllers do not
// change; @SendTo and @SendToUser go over the relay's system session, /app stays with controllers.
import 'reflect-metadata';
import { Controller } from '@nestjs/common';
import { DestinationVariable, MessageMapping, Payload, Principal, SendTo, SendToUser } from '../src/index.js';
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

for (const broker of EXTERNAL_BROKERS) {
  describeWithBroker(broker, reachable.get(broker)!)(`StompModule on the relay to ${broker.name}`, () => {
    let t: RoutingApp;
    beforeEach(async () => {
      t = await bootRoutingApp({
        controllers: [ChatController],
        stomp: {
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
  });
}

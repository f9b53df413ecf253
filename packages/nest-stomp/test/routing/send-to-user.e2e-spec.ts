import 'reflect-metadata';
import { Controller } from '@nestjs/common';
import { DestinationVariable, MessageMapping, Payload, SendTo, SendToUser, SubscribeMapping } from '../../src/index.js';
import { bootRoutingApp, sendWithReceipt, staysEmpty, type RoutingApp } from './routing-test-app.js';

@Controller()
class UserReplyController {
  @MessageMapping('/reply')
  @SendToUser('/queue/reply')
  reply(@Payload() text: string) {
    return `to you: ${text}`;
  }

  @MessageMapping('/private')
  @SendToUser('/queue/private', { broadcast: false })
  private(@Payload() text: string) {
    return `this session only: ${text}`;
  }

  @MessageMapping('/whisper')
  @SendToUser()
  whisper() {
    return 'default user destination';
  }

  @MessageMapping('/both/{room}')
  @SendTo('/topic/room.{room}')
  @SendToUser('/queue/ack.{room}', { broadcast: false })
  both(@DestinationVariable('room') room: string) {
    return `posted in ${room}`;
  }

  @MessageMapping('/dm/{to}')
  @SendTo('/user/{to}/queue/dm')
  dm(@Payload() text: string) {
    return text;
  }

  @SubscribeMapping('/profile')
  @SendToUser('/queue/profile', { broadcast: false })
  profile() {
    return 'profile';
  }
}

describe('@SendToUser', () => {
  let t: RoutingApp;
  beforeAll(async () => {
    t = await bootRoutingApp({ controllers: [UserReplyController] });
  });
  afterAll(() => t.close());

  const text = { 'content-type': 'text/plain' };

  it('sends to every session of the sender user (broadcast, the default), nobody else', async () => {
    const alice1 = await t.connect('alice');
    const alice2 = await t.connect('alice');
    const bob = await t.connect('bob');
    const [a1, a2, b] = await Promise.all([alice1, alice2, bob].map((c) => c.subscribe('/user/queue/reply')));
    alice1.client.publish({ destination: '/app/reply', body: 'hi', headers: text });
    const first = await a1!.next();
    expect(first.body).toBe('to you: hi');
    expect(first.headers.destination).toBe('/user/queue/reply');
    expect((await a2!.next()).body).toBe('to you: hi');
    expect(await staysEmpty(b!, () => sendWithReceipt(bob.client, '/topic/probe'))).toBe(true);
  });

  it('broadcast: false reaches only the sending session', async () => {
    const alice1 = await t.connect('alice');
    const alice2 = await t.connect('alice');
    const a1 = await alice1.subscribe('/user/queue/private');
    const a2 = await alice2.subscribe('/user/queue/private');
    alice1.client.publish({ destination: '/app/private', body: 'x', headers: text });
    expect((await a1.next()).body).toBe('this session only: x');
    expect(await staysEmpty(a2, () => sendWithReceipt(alice2.client, '/topic/probe'))).toBe(true);
  });

  it('without a destination: /queue + the matched destination', async () => {
    const c = await t.connect('carol');
    const inbox = await c.subscribe('/user/queue/whisper');
    c.client.publish({ destination: '/app/whisper', body: '' });
    expect((await inbox.next()).body).toBe('default user destination');
  });

  it('an anonymous sender is addressed as its own session', async () => {
    const anonymous1 = await t.connect();
    const anonymous2 = await t.connect();
    const a1 = await anonymous1.subscribe('/user/queue/reply');
    const a2 = await anonymous2.subscribe('/user/queue/reply');
    anonymous1.client.publish({ destination: '/app/reply', body: 'anon', headers: text });
    expect((await a1.next()).body).toBe('to you: anon');
    expect(await staysEmpty(a2, () => sendWithReceipt(anonymous2.client, '/topic/probe'))).toBe(true);
  });

  it('combines with @SendTo, both with placeholders', async () => {
    const dave = await t.connect('dave');
    const eve = await t.connect('eve');
    const ack = await dave.subscribe('/user/queue/ack.lobby');
    const room = await eve.subscribe('/topic/room.lobby');
    dave.client.publish({ destination: '/app/both/lobby', body: '' });
    expect((await ack.next()).body).toBe('posted in lobby');
    expect((await room.next()).body).toBe('posted in lobby');
  });

  it('@SendTo a /user/<name>/ destination reaches that user', async () => {
    const frank = await t.connect('frank');
    const grace = await t.connect('grace');
    const inbox = await grace.subscribe('/user/queue/dm');
    frank.client.publish({ destination: '/app/dm/grace', body: 'psst', headers: text });
    const message = await inbox.next();
    expect(message.body).toBe('psst');
    expect(message.headers.destination).toBe('/user/queue/dm');
  });

  it('on a @SubscribeMapping, the value goes to the user destination instead of the subscription', async () => {
    const c = await t.connect('heidi');
    const profile = await c.subscribe('/user/queue/profile');
    const direct = await c.subscribe('/app/profile');
    expect((await profile.next()).body).toBe('profile');
    expect(await staysEmpty(direct, () => sendWithReceipt(c.client, '/topic/probe'))).toBe(true);
  });
});

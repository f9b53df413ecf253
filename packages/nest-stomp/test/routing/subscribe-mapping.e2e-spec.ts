import 'reflect-metadata';
import { Controller } from '@nestjs/common';
import type { IMessage } from '@stomp/stompjs';
import { of } from 'rxjs';
import { DestinationVariable, MessageMapping, SendTo, SubscribeMapping } from '../../src/index.js';
import { Inbox } from '../support/stomp-test-clients.js';
import { bootRoutingApp, json, sendWithReceipt, type RoutingApp } from './routing-test-app.js';

@Controller()
@MessageMapping('/chat')
class RoomsController {
  calls = 0;

  @SubscribeMapping('/rooms')
  rooms() {
    this.calls++;
    return ['general', 'random'];
  }

  @SubscribeMapping('/rooms/{room}/history')
  async history(@DestinationVariable('room') room: string) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    return [`${room}: first`, `${room}: second`];
  }

  @SubscribeMapping('/pair')
  pair() {
    return of('one', 'two');
  }

  @SubscribeMapping('/announce')
  @SendTo('/topic/announcements')
  announce() {
    return 'someone subscribed';
  }
}

let receipts = 0;

/** SUBSCRIBE with a receipt; resolves with the inbox and the subscription once the RECEIPT came. */
function subscribeWithReceipt(client: import('@stomp/stompjs').Client, destination: string) {
  return new Promise<{ inbox: Inbox; unsubscribe: (headers?: Record<string, string>) => void }>((resolve) => {
    const inbox = new Inbox();
    const receipt = `app-sub-${++receipts}`;
    const subscription = client.subscribe(destination, inbox.push, { receipt });
    client.watchForReceipt(receipt, () => resolve({ inbox, unsubscribe: (h) => subscription.unsubscribe(h) }));
  });
}

describe('@SubscribeMapping handlers', () => {
  let t: RoutingApp;
  let controller: RoomsController;
  beforeAll(async () => {
    t = await bootRoutingApp({ controllers: [RoomsController] });
    controller = t.app.get(RoomsController);
  });
  afterAll(() => t.close());

  it('replies once, to the subscribing client only, before the RECEIPT of its SUBSCRIBE', async () => {
    const a = await t.connect();
    const b = await t.connect();
    const before = controller.calls;
    const bInbox = await b.subscribe('/topic/chat/rooms');
    const { inbox } = await subscribeWithReceipt(a.client, '/app/chat/rooms');
    const reply: IMessage = await inbox.next();
    expect(json(reply.body)).toEqual(['general', 'random']);
    expect(reply.headers.destination).toBe('/app/chat/rooms');
    expect(reply.headers.subscription).toBeDefined();
    expect(reply.headers['message-id']).toMatch(/^r-/);
    expect(controller.calls).toBe(before + 1);

    // A second subscriber to the same application destination gets its own reply; the first does not.
    const second = await subscribeWithReceipt(b.client, '/app/chat/rooms');
    expect(json((await second.inbox.next()).body)).toEqual(['general', 'random']);
    expect(controller.calls).toBe(before + 2);
    // Nothing went through the broker.
    const seen: string[] = [];
    void bInbox.next().then((m) => seen.push(m.body));
    void inbox.next().then((m) => seen.push(m.body));
    await sendWithReceipt(a.client, '/topic/chat/marker', 'marker');
    expect(seen).toEqual([]);
  });

  it('the subscription is not registered: UNSUBSCRIBE is harmless and nothing else arrives on it', async () => {
    const a = await t.connect();
    const { inbox, unsubscribe } = await subscribeWithReceipt(a.client, '/app/chat/rooms');
    await inbox.next();
    await new Promise<void>((resolve) => {
      a.client.watchForReceipt('unsub-1', () => resolve());
      unsubscribe({ receipt: 'unsub-1' });
    });
    // The session is still usable.
    const topic = await a.subscribe('/topic/after');
    a.client.publish({ destination: '/topic/after', body: 'still here' });
    expect((await topic.next()).body).toBe('still here');
  });

  it('resolves Promises and destination variables', async () => {
    const a = await t.connect();
    const { inbox } = await subscribeWithReceipt(a.client, '/app/chat/rooms/lobby/history');
    expect(json((await inbox.next()).body)).toEqual(['lobby: first', 'lobby: second']);
  });

  it('sends each value of an Observable to the subscription', async () => {
    const a = await t.connect();
    const { inbox } = await subscribeWithReceipt(a.client, '/app/chat/pair');
    expect((await inbox.next()).body).toBe('one');
    expect((await inbox.next()).body).toBe('two');
  });

  it('with @SendTo the value goes to the broker instead of the subscription', async () => {
    const a = await t.connect();
    const b = await t.connect();
    const announcements = await b.subscribe('/topic/announcements');
    const { inbox } = await subscribeWithReceipt(a.client, '/app/chat/announce');
    expect((await announcements.next()).body).toBe('someone subscribed');
    const direct: string[] = [];
    void inbox.next().then((m) => direct.push(m.body));
    await sendWithReceipt(a.client, '/topic/marker', 'x');
    expect(direct).toEqual([]);
  });
});

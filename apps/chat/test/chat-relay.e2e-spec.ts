// The chat demo on the relay (BROKER=relay): two instances share rooms, presence and private
// messages through RabbitMQ.
import 'reflect-metadata';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { StompServer, StompServerHost } from 'nest-stomp';
import { chatAddresses, createChatApp } from '../src/chat-app.js';
import { connectClient, tcpFactory, wsFactory, type TestClient } from '../../../packages/nest-stomp/test/support/stomp-test-clients.js';
import { describeWithBroker, probeBroker, RABBITMQ, registryShows, unique } from '../../../test/support/brokers.js';
import type { PresenceLine, PrivateLine } from '../src/chat/chat-lines.js';

const available = await probeBroker(RABBITMQ);

describeWithBroker(RABBITMQ, available)('chat app on the relay to RabbitMQ', () => {
  const apps: NestExpressApplication[] = [];
  const clients: TestClient[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.disconnect()));
    await Promise.all(apps.splice(0).map((a) => a.close()));
  });

  async function instance(): Promise<NestExpressApplication> {
    const app = await createChatApp({ tcpPort: 0, logger: false, broker: { type: 'relay', host: RABBITMQ.host, port: RABBITMQ.port } });
    apps.push(app);
    await app.listen(0);
    await app.get(StompServer).relay!.whenAvailable();
    return app;
  }

  it('two instances share a room: a TCP client on one talks to a WebSocket client on the other', async () => {
    const [one, two] = [await instance(), await instance()];
    const room = `/topic/chat.${unique('room')}`;
    const browser = await connectClient(wsFactory(chatAddresses(one, '127.0.0.1').ws));
    const python = await connectClient(tcpFactory(two.get(StompServerHost).tcpEndpoint!.port));
    clients.push(browser, python);
    const inbox = await browser.subscribe(room);
    const hello = { from: 'py', text: 'hi from instance two', room: 'x' };
    python.client.publish({ destination: room, body: JSON.stringify(hello), headers: { 'content-type': 'application/json' } });
    const received = await inbox.next();
    expect(JSON.parse(received.body)).toEqual(hello);
    expect(received.headers['content-type']).toBe('application/json');
  });

  it('two instances share presence and private messages: users on either are online on both', async () => {
    const [one, two] = [await instance(), await instance()];
    const alice = unique('alice-');
    const bob = unique('bob-');
    // 5 s: only the snapshot sent when a user connects comes this soon (the periodic one every 10 s).
    const aliceOnTwo = registryShows(two.get(StompServer), alice, true);
    const browser = await connectClient(wsFactory(chatAddresses(one, '127.0.0.1').ws), { login: alice });
    clients.push(browser);
    await aliceOnTwo;
    const bobOnOne = registryShows(one.get(StompServer), bob, true);
    const python = await connectClient(tcpFactory(two.get(StompServerHost).tcpEndpoint!.port), { login: bob });
    clients.push(python);
    await bobOnOne;

    // Who is online: both, whichever instance answers.
    for (const client of [browser, python]) {
      const snapshot = JSON.parse((await (await client.subscribe('/app/presence')).next()).body) as PresenceLine;
      expect(snapshot.users).toEqual(expect.arrayContaining([alice, bob]));
    }

    // bob (instance two) to alice (instance one), and back: each sees the line once, in their inbox.
    const [aliceInbox, bobInbox] = await Promise.all([browser.subscribe('/user/queue/private'), python.subscribe('/user/queue/private')]);
    const whisper = (client: TestClient, to: string, text: string): void =>
      client.client.publish({ destination: `/app/private/${to}`, body: JSON.stringify({ text }), headers: { 'content-type': 'application/json' } });
    whisper(python, alice, 'hi from two');
    for (const inbox of [aliceInbox, bobInbox]) {
      expect(JSON.parse((await inbox.next()).body) as PrivateLine).toMatchObject({ type: 'private', from: bob, to: alice, text: 'hi from two' });
    }
    whisper(browser, bob, 'hi from one');
    for (const inbox of [bobInbox, aliceInbox]) {
      expect(JSON.parse((await inbox.next()).body) as PrivateLine).toMatchObject({ type: 'private', from: alice, to: bob, text: 'hi from one' });
    }

    // alice leaves instance one: bob, on instance two, hears of it.
    const presence = await python.subscribe('/topic/presence');
    clients.splice(clients.indexOf(browser), 1);
    await browser.disconnect();
    let line: PresenceLine;
    do line = JSON.parse((await presence.next()).body) as PresenceLine;
    while (line.user !== alice);
    expect(line).toEqual({ user: alice, online: false, users: expect.not.arrayContaining([alice]) });
  });
});

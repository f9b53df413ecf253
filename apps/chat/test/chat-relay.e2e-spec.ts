// The chat demo on the relay (BROKER=relay): two instances share a room through RabbitMQ.
import 'reflect-metadata';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { StompServer, StompServerHost } from 'nest-stomp';
import { chatAddresses, createChatApp } from '../src/chat-app.js';
import { connectClient, tcpFactory, wsFactory, type TestClient } from '../../../packages/nest-stomp/test/support/stomp-test-clients.js';
import { describeWithBroker, probeBroker, RABBITMQ, unique } from '../../../test/support/brokers.js';

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
});

import 'reflect-metadata';
import { Module, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { WsAdapter } from '@nestjs/platform-ws';
import { MessageBody, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import WebSocket from 'ws';
import { StompModule } from '../src/index.js';
import { connectClient, wsFactory, wsUrl } from './support/stomp-test-clients.js';

@WebSocketGateway({ path: '/other' })
class EchoGateway {
  @SubscribeMessage('echo')
  echo(@MessageBody() data: unknown): { event: string; data: unknown } {
    return { event: 'echo', data };
  }
}

@Module({ providers: [EchoGateway] })
class EchoModule {}

/** One JSON round trip with the plain-ws gateway (WsAdapter's `{ event, data }` protocol). */
function echoOnce(url: string, data: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    socket.once('error', reject);
    socket.once('open', () => socket.send(JSON.stringify({ event: 'echo', data })));
    socket.once('message', (raw) => {
      socket.close();
      resolve(JSON.parse(String(raw)));
    });
  });
}

describe('STOMP endpoint beside a @nestjs/platform-ws gateway on the same HTTP server', () => {
  let app: INestApplication;

  beforeEach(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [EchoModule, StompModule.forRoot({ endpoint: { path: '/ws' }, broker: { type: 'simple' } })],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    app.useWebSocketAdapter(new WsAdapter(app));
    await app.listen(0);
  });

  afterEach(async () => app.close());

  it('both work: the gateway answers on /other while STOMP serves /ws', async () => {
    const server = app.getHttpServer();
    const stomp = await connectClient(wsFactory(wsUrl(server, '/ws')));
    try {
      // Interleave on purpose: the gateway must keep working while a STOMP session is open.
      expect(await echoOnce(wsUrl(server, '/other'), 'hello')).toEqual({ event: 'echo', data: 'hello' });
      const inbox = await stomp.subscribe('/topic/x');
      stomp.client.publish({ destination: '/topic/x', body: 'stomp still fine' });
      expect((await inbox.next()).body).toBe('stomp still fine');
      expect(await echoOnce(wsUrl(server, '/other'), 'again')).toEqual({ event: 'echo', data: 'again' });
    } finally {
      await stomp.disconnect();
    }
  });

  it('an upgrade on a path nobody serves is still refused', async () => {
    const url = wsUrl(app.getHttpServer(), '/nowhere');
    await expect(echoOnce(url, 'x')).rejects.toThrow();
  });
});

import 'reflect-metadata';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { StompServerHost } from 'nest-stomp';
import { chatAddresses, createChatApp } from '../src/chat-app.js';
import {
  connectClient,
  tcpFactory,
  wsFactory,
  type TestClient,
} from '../../../packages/nest-stomp/test/support/stomp-test-clients.js';

describe('chat app', () => {
  let app: NestExpressApplication;
  let http: string;

  beforeAll(async () => {
    app = await createChatApp({ tcpPort: 0, logger: false });
    await app.listen(0);
    http = chatAddresses(app, '127.0.0.1').http;
  });

  afterAll(async () => app.close());

  it('reports its addresses with the ports actually bound', () => {
    const where = chatAddresses(app, '127.0.0.1');
    const tcpPort = app.get(StompServerHost).tcpEndpoint!.port;
    expect(where.ws).toBe(`${http.replace('http:', 'ws:')}/ws`);
    expect(where.tcp).toBe(`tcp://127.0.0.1:${tcpPort}`);
  });

  it('GET / serves the chat page with the stompjs script and the stable element ids', async () => {
    const response = await fetch(`${http}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await response.text();
    expect(html).toContain('<script src="/vendor/stomp.umd.min.js"></script>');
    for (const id of ['name', 'room', 'message', 'send', 'messages', 'status']) {
      expect(html).toContain(`id="${id}" data-testid="${id}"`);
    }
  });

  it('serves the stompjs browser bundle and the page script as JavaScript', async () => {
    const bundle = await fetch(`${http}/vendor/stomp.umd.min.js`);
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('content-type')).toMatch(/^text\/javascript/);
    const source = await bundle.text();
    expect(source).toContain('StompJs');
    expect(source.length).toBeGreaterThan(10_000);

    const page = await fetch(`${http}/chat.js`);
    expect(page.headers.get('content-type')).toMatch(/^text\/javascript/);
    const script = await page.text();
    expect(script).toContain("'/topic/chat.'");
    expect(script).toContain('reconnectDelay');
  });

  it('a WebSocket client and a TCP client chat in the same room, and not in another', async () => {
    const where = chatAddresses(app, '127.0.0.1');
    const clients: TestClient[] = [];
    try {
      const browser = await connectClient(wsFactory(where.ws));
      clients.push(browser);
      const python = await connectClient(tcpFactory(app.get(StompServerHost).tcpEndpoint!.port));
      clients.push(python);
      const browserGeneral = await browser.subscribe('/topic/chat.general');
      const pythonGeneral = await python.subscribe('/topic/chat.general');
      const pythonRandom = await python.subscribe('/topic/chat.random');

      const hello = { from: 'py', text: 'hi', room: 'general' };
      python.client.publish({
        destination: '/topic/chat.general',
        body: JSON.stringify(hello),
        headers: { 'content-type': 'application/json' },
      });
      const received = await browserGeneral.next();
      expect(JSON.parse(received.body)).toEqual(hello);
      expect(received.headers['content-type']).toBe('application/json');
      expect(JSON.parse((await pythonGeneral.next()).body)).toEqual(hello);

      const reply = { from: 'web', text: 'hello from the page', room: 'random' };
      browser.client.publish({ destination: '/topic/chat.random', body: JSON.stringify(reply) });
      expect(JSON.parse((await pythonRandom.next()).body)).toEqual(reply);

      // Ordering on one connection: had 'random' leaked into 'general', it would arrive first here.
      browser.client.publish({ destination: '/topic/chat.general', body: JSON.stringify({ ...hello, text: 'second' }) });
      expect(JSON.parse((await pythonGeneral.next()).body).text).toBe('second');
    } finally {
      await Promise.all(clients.map((c) => c.disconnect()));
    }
  });
});

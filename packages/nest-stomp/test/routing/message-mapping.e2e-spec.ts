import 'reflect-metadata';
import { Controller, Get, Injectable } from '@nestjs/common';
import { ConnectedSocket, MessageBody } from '@nestjs/websockets';
import { of, timer, map, take } from 'rxjs';
import {
  DestinationVariable,
  Header,
  Headers,
  MessageMapping,
  Payload,
  Principal,
  SendTo,
  SessionAttributes,
  SessionId,
  type StompPrincipal,
  type StompSession,
} from '../../src/index.js';
import { bootRoutingApp, json, sendWithReceipt, type RoutingApp } from './routing-test-app.js';

@Injectable()
class Greeter {
  greet(name: string): string {
    return `Hello, ${name}!`;
  }
}

@Controller()
class GreetingController {
  constructor(private readonly greeter: Greeter) {}

  @MessageMapping('/greeting')
  greeting(@Payload() body: { name: string }) {
    return { text: this.greeter.greet(body.name) };
  }

  @MessageMapping('text')
  text(@Payload() body: string) {
    return `${typeof body}:${body}`;
  }

  @MessageMapping('/bytes')
  bytes(@Payload() body: Buffer) {
    return Buffer.concat([Buffer.from([Buffer.isBuffer(body) ? 1 : 0]), body]);
  }

  @MessageMapping('/property')
  property(@Payload('name') name: string, @Payload('missing') missing: unknown) {
    return { name, missing: missing === undefined };
  }

  @MessageMapping('/headers')
  headers(@Header('x-priority') priority: string, @Header('absent') absent: string | undefined, @Headers() all: Record<string, string>) {
    return { priority, absent: absent === undefined, destination: all.destination, custom: all['x-custom'] };
  }

  @MessageMapping('/who')
  who(@Principal() principal: StompPrincipal | undefined, @SessionId() sessionId: string) {
    return { name: principal?.name ?? null, sessionId };
  }

  @MessageMapping('/count')
  count(@SessionAttributes() attributes: Map<string, unknown>) {
    const next = ((attributes.get('count') as number | undefined) ?? 0) + 1;
    attributes.set('count', next);
    return next;
  }

  @MessageMapping('/async')
  async later(@Payload() n: number) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    return n * 2;
  }

  @MessageMapping('/stream')
  stream(@Payload() n: number) {
    return timer(0, 5).pipe(take(2), map((i) => n + i));
  }

  @MessageMapping('/ws-decorators')
  wsDecorators(@MessageBody() body: { n: number }, @ConnectedSocket() session: StompSession) {
    return { n: body.n, session: session.id };
  }

  @Get('/http-too')
  httpToo() {
    return { http: true };
  }

  @MessageMapping('/nothing')
  nothing(): void {
    return undefined;
  }
}

@Controller()
@MessageMapping('/chat')
@SendTo('/topic/chat-class-default')
class ChatController {
  @MessageMapping('/room/{room}')
  @SendTo('/topic/chat.{room}')
  post(@Payload() msg: { text: string }, @DestinationVariable('room') room: string) {
    return { ...msg, room };
  }

  @MessageMapping('/fanout/{a}/{b}')
  @SendTo('/topic/fan.{a}', '/topic/fan.{b}', '/topic/fan.all')
  fanout(@DestinationVariable() variables: Record<string, string>) {
    return variables;
  }

  @MessageMapping('/class-default')
  classDefault() {
    return 'to the class-level @SendTo';
  }
}

@Controller()
@MessageMapping('price')
class PriceController {
  @MessageMapping('stock.{ticker}')
  stock(@DestinationVariable('ticker') ticker: string) {
    return { ticker };
  }

  @MessageMapping('/any/**')
  any() {
    return 'any';
  }

  @MessageMapping('/any/exact')
  exact() {
    return 'exact';
  }

  @MessageMapping('/one/*')
  one() {
    return of('one');
  }
}

describe('@MessageMapping handlers', () => {
  let t: RoutingApp;
  beforeAll(async () => {
    t = await bootRoutingApp({ controllers: [GreetingController, ChatController, PriceController], providers: [Greeter] });
  });
  afterAll(() => t.close());

  it('handles /app/<pattern>, injects providers, and sends the value as JSON to /topic + destination', async () => {
    const c = await t.connect();
    const inbox = await c.subscribe('/topic/greeting');
    c.client.publish({ destination: '/app/greeting', body: JSON.stringify({ name: 'Ada' }), headers: { 'content-type': 'application/json' } });
    const message = await inbox.next();
    expect(json(message.body)).toEqual({ text: 'Hello, Ada!' });
    expect(message.headers['content-type']).toBe('application/json');
    expect(message.headers.destination).toBe('/topic/greeting');
  });

  it('reads a payload without content-type as JSON', async () => {
    const c = await t.connect();
    const inbox = await c.subscribe('/topic/greeting');
    c.client.publish({ destination: '/app/greeting', body: '{"name":"Bob"}' });
    expect(json((await inbox.next()).body)).toEqual({ text: 'Hello, Bob!' });
  });

  it('converts text/* payloads to strings and sends strings as text/plain', async () => {
    const c = await t.connect();
    const inbox = await c.subscribe('/topic/text');
    c.client.publish({ destination: '/app/text', body: 'héllo', headers: { 'content-type': 'text/plain;charset=utf-8' } });
    const message = await inbox.next();
    expect(message.body).toBe('string:héllo');
    expect(message.headers['content-type']).toBe('text/plain;charset=utf-8');
  });

  it('passes other content types as a Buffer and sends a returned Buffer as bytes', async () => {
    const c = await t.connect();
    const inbox = await c.subscribe('/topic/bytes');
    c.client.publish({
      destination: '/app/bytes',
      binaryBody: new Uint8Array([0, 7, 255]),
      headers: { 'content-type': 'application/octet-stream' },
    });
    const message = await inbox.next();
    expect([...message.binaryBody]).toEqual([1, 0, 7, 255]);
    expect(message.headers['content-type']).toBe('application/octet-stream');
  });

  it('@Payload(property) reads one property of the payload', async () => {
    const c = await t.connect();
    const inbox = await c.subscribe('/topic/property');
    c.client.publish({ destination: '/app/property', body: '{"name":"n1"}' });
    expect(json((await inbox.next()).body)).toEqual({ name: 'n1', missing: true });
  });

  it('@Header and @Headers read the frame headers', async () => {
    const c = await t.connect();
    const inbox = await c.subscribe('/topic/headers');
    c.client.publish({ destination: '/app/headers', body: '', headers: { 'x-priority': 'high', 'x-custom': 'c' } });
    expect(json((await inbox.next()).body)).toEqual({ priority: 'high', absent: true, destination: '/app/headers', custom: 'c' });
  });

  it('@Principal and @SessionId identify the sender', async () => {
    const alice = await t.connect('alice');
    const anonymous = await t.connect();
    const inbox = await alice.subscribe('/topic/who');
    alice.client.publish({ destination: '/app/who', body: '' });
    const fromAlice = json((await inbox.next()).body) as { name: string; sessionId: string };
    anonymous.client.publish({ destination: '/app/who', body: '' });
    const fromAnonymous = json((await inbox.next()).body) as { name: string | null; sessionId: string };
    expect(fromAlice.name).toBe('alice');
    expect(fromAnonymous.name).toBeNull();
    expect(t.server.sessions.has(fromAlice.sessionId)).toBe(true);
    expect(t.server.sessions.get(fromAlice.sessionId)!.principal?.name).toBe('alice');
    expect(fromAnonymous.sessionId).not.toBe(fromAlice.sessionId);
  });

  it('@SessionAttributes is the per-session attribute map', async () => {
    const a = await t.connect();
    const b = await t.connect();
    const inbox = await a.subscribe('/topic/count');
    a.client.publish({ destination: '/app/count', body: '' });
    expect((await inbox.next()).body).toBe('1');
    a.client.publish({ destination: '/app/count', body: '' });
    expect((await inbox.next()).body).toBe('2');
    b.client.publish({ destination: '/app/count', body: '' });
    expect((await inbox.next()).body).toBe('1');
  });

  it('sends the resolved value of a Promise', async () => {
    const c = await t.connect();
    const inbox = await c.subscribe('/topic/async');
    c.client.publish({ destination: '/app/async', body: '21' });
    expect((await inbox.next()).body).toBe('42');
  });

  it('sends every value an Observable emits', async () => {
    const c = await t.connect();
    const inbox = await c.subscribe('/topic/stream');
    c.client.publish({ destination: '/app/stream', body: '10' });
    expect((await inbox.next()).body).toBe('10');
    expect((await inbox.next()).body).toBe('11');
  });

  it('sends nothing for undefined', async () => {
    const c = await t.connect();
    const nothing = await c.subscribe('/topic/nothing');
    const marker = await c.subscribe('/topic/text');
    await sendWithReceipt(c.client, '/app/nothing');
    const got: string[] = [];
    void nothing.next().then((m) => got.push(m.body));
    // A later frame's result arrives: had /app/nothing sent anything, it would have come first.
    c.client.publish({ destination: '/app/text', body: 'after', headers: { 'content-type': 'text/plain' } });
    expect((await marker.next()).body).toBe('string:after');
    expect(got).toEqual([]);
  });

  it('joins the class-level prefix and fills @SendTo placeholders from destination variables', async () => {
    const c = await t.connect();
    const inbox = await c.subscribe('/topic/chat.general');
    c.client.publish({ destination: '/app/chat/room/general', body: '{"text":"hi"}' });
    expect(json((await inbox.next()).body)).toEqual({ text: 'hi', room: 'general' });
  });

  it('@SendTo with several destinations publishes to each', async () => {
    const c = await t.connect();
    const a = await c.subscribe('/topic/fan.x');
    const b = await c.subscribe('/topic/fan.y');
    const all = await c.subscribe('/topic/fan.all');
    c.client.publish({ destination: '/app/chat/fanout/x/y', body: '' });
    for (const inbox of [a, b, all]) expect(json((await inbox.next()).body)).toEqual({ a: 'x', b: 'y' });
  });

  it('a class-level @SendTo is the default of the class methods', async () => {
    const c = await t.connect();
    const inbox = await c.subscribe('/topic/chat-class-default');
    c.client.publish({ destination: '/app/chat/class-default', body: '' });
    expect((await inbox.next()).body).toBe('to the class-level @SendTo');
  });

  it('supports dot-separated patterns joined to a class prefix', async () => {
    const c = await t.connect();
    const inbox = await c.subscribe('/topic/price.stock.MMM');
    c.client.publish({ destination: '/app/price.stock.MMM', body: '' });
    expect(json((await inbox.next()).body)).toEqual({ ticker: 'MMM' });
  });

  it('prefers an exact mapping over a wildcard one, and matches * and ** patterns', async () => {
    const c = await t.connect();
    const exact = await c.subscribe('/topic/price/any/exact');
    const deep = await c.subscribe('/topic/price/any/x/y');
    const one = await c.subscribe('/topic/price/one/z');
    c.client.publish({ destination: '/app/price/any/exact', body: '' });
    c.client.publish({ destination: '/app/price/any/x/y', body: '' });
    c.client.publish({ destination: '/app/price/one/z', body: '' });
    expect((await exact.next()).body).toBe('exact');
    expect((await deep.next()).body).toBe('any');
    expect((await one.next()).body).toBe('one');
  });

  it("@nestjs/websockets' @MessageBody and @ConnectedSocket work on STOMP handlers", async () => {
    const c = await t.connect();
    const inbox = await c.subscribe('/topic/ws-decorators');
    c.client.publish({ destination: '/app/ws-decorators', body: '{"n":5}' });
    const result = json((await inbox.next()).body) as { n: number; session: string };
    expect(result.n).toBe(5);
    expect(t.server.sessions.has(result.session)).toBe(true);
  });

  it('a controller serves HTTP routes and STOMP mappings side by side', async () => {
    const address = t.app.getHttpServer().address() as { port: number };
    const response = await fetch(`http://127.0.0.1:${address.port}/http-too`);
    expect(await response.json()).toEqual({ http: true });
  });

  it('logs each mapping at bootstrap', () => {
    const mapped = t.logger.lines.filter((l) => l.context === 'StompModule' && l.message.startsWith('Mapped'));
    expect(mapped.map((l) => l.message)).toContain('Mapped {SEND /app/chat/room/{room}} to ChatController.post');
    expect(mapped.map((l) => l.message)).toContain('Mapped {SEND /app/price.stock.{ticker}} to PriceController.stock');
  });
});

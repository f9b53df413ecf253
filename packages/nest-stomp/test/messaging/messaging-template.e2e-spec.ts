import 'reflect-metadata';
import { Controller, Injectable, Module } from '@nestjs/common';
import {
  MessageMapping,
  Payload,
  StompError,
  StompErrorCode,
  StompMessagingTemplate,
  StompRecord,
  StompRecordBuilder,
} from '../../src/index.js';
import type { TestClient } from '../support/stomp-test-clients.js';
import { bootRoutingApp, sendWithReceipt, staysEmpty, type RoutingApp } from '../routing/routing-test-app.js';

/** An ordinary provider of another module: the template is injected like any dependency. */
@Injectable()
class TradeService {
  constructor(readonly template: StompMessagingTemplate) {}

  executed(user: string, trade: { ticker: string; shares: number }): void {
    this.template.convertAndSendToUser(user, '/queue/trades', trade, { 'x-trade-kind': 'fill' });
    this.template.convertAndSend(`/topic/trades.${trade.ticker}`, trade);
  }
}

@Module({ providers: [TradeService], exports: [TradeService] })
class TradingModule {}

/** A controller that sends through a service instead of returning a value. */
@Controller()
class TradeController {
  constructor(private readonly trades: TradeService) {}

  @MessageMapping('/trade')
  trade(@Payload() order: { user: string; ticker: string; shares: number }) {
    this.trades.executed(order.user, { ticker: order.ticker, shares: order.shares });
  }
}

/** Connects a client and returns it with its session id (the one session the server did not know before). */
async function connectWithId(t: RoutingApp, login?: string): Promise<{ client: TestClient; id: string }> {
  const before = new Set(t.server.sessions.keys());
  const client = await t.connect(login);
  const id = [...t.server.sessions.keys()].find((key) => !before.has(key))!;
  return { client, id };
}

function thrown(fn: () => void): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('StompMessagingTemplate', () => {
  let t: RoutingApp;
  let template: StompMessagingTemplate;
  beforeAll(async () => {
    t = await bootRoutingApp({ imports: [TradingModule], controllers: [TradeController] });
    template = t.app.get(TradeService).template;
  });
  afterAll(() => t.close());

  it('is one injectable shared by every module (StompModule is global)', () => {
    expect(t.app.get(StompMessagingTemplate)).toBe(template);
  });

  it('convertAndSend converts objects to JSON, strings to text, Buffers to bytes', async () => {
    const c = await t.connect();
    const inbox = await c.subscribe('/topic/prices');
    template.convertAndSend('/topic/prices', { ticker: 'MMM', price: 129.45 });
    template.convertAndSend('/topic/prices', 'market closed');
    template.convertAndSend('/topic/prices', Buffer.from([0, 1, 2, 255]));

    const json = await inbox.next();
    expect(json.headers['content-type']).toBe('application/json');
    expect(JSON.parse(json.body)).toEqual({ ticker: 'MMM', price: 129.45 });
    const text = await inbox.next();
    expect(text.headers['content-type']).toBe('text/plain;charset=utf-8');
    expect(text.body).toBe('market closed');
    const bytes = await inbox.next();
    expect(bytes.headers['content-type']).toBe('application/octet-stream');
    expect([...bytes.binaryBody]).toEqual([0, 1, 2, 255]);
  });

  it('sends headers (numbers and booleans as text, undefined left out); an explicit content-type wins', async () => {
    const c = await t.connect();
    const inbox = await c.subscribe('/queue/jobs');
    template.convertAndSend('/queue/jobs', '<job/>', {
      'content-type': 'application/xml',
      priority: 9,
      urgent: true,
      'x-skipped': undefined,
    });
    const message = await inbox.next();
    expect(message.body).toBe('<job/>');
    expect(message.headers['content-type']).toBe('application/xml');
    expect(message.headers.priority).toBe('9');
    expect(message.headers.urgent).toBe('true');
    expect('x-skipped' in message.headers).toBe(false);
    expect(message.headers.destination).toBe('/queue/jobs');
  });

  it('takes a StompRecord: its payload converted, its headers sent, the call headers last', async () => {
    const c = await t.connect();
    const inbox = await c.subscribe('/topic/records');
    template.convertAndSend('/topic/records', new StompRecord({ n: 1 }, { 'x-a': 'record', 'x-b': 'record' }), { 'x-b': 'call' });
    template.convertAndSend('/topic/records', new StompRecordBuilder('built').setHeader('x-trace', 't-1').build());
    const first = await inbox.next();
    expect(JSON.parse(first.body)).toEqual({ n: 1 });
    expect(first.headers['x-a']).toBe('record');
    expect(first.headers['x-b']).toBe('call');
    const second = await inbox.next();
    expect(second.body).toBe('built');
    expect(second.headers['x-trace']).toBe('t-1');
  });

  it('convertAndSendToUser reaches every session of that user and nobody else', async () => {
    const alice1 = await t.connect('alice');
    const alice2 = await t.connect('alice');
    const bob = await t.connect('bob');
    const [a1, a2, b] = await Promise.all([alice1, alice2, bob].map((c) => c.subscribe('/user/queue/position')));
    template.convertAndSendToUser('alice', '/queue/position', { shares: 10 });
    for (const inbox of [a1!, a2!]) {
      const message = await inbox.next();
      expect(JSON.parse(message.body)).toEqual({ shares: 10 });
      expect(message.headers.destination).toBe('/user/queue/position');
    }
    expect(await staysEmpty(b!, () => sendWithReceipt(bob.client, '/topic/probe'))).toBe(true);
  });

  it('convertAndSend to /user/<name>/... is the same as convertAndSendToUser', async () => {
    const carol = await t.connect('carol');
    const inbox = await carol.subscribe('/user/queue/notes');
    template.convertAndSend('/user/carol/queue/notes', 'note');
    expect((await inbox.next()).body).toBe('note');
  });

  it('convertAndSendToSession reaches that one session, also an anonymous one', async () => {
    const tab1 = await connectWithId(t, 'dave');
    const tab2 = await connectWithId(t, 'dave');
    const anonymous = await connectWithId(t);
    const [d1, d2, anon] = await Promise.all([tab1, tab2, anonymous].map(({ client }) => client.subscribe('/user/queue/tab')));
    template.convertAndSendToSession(tab2.id, '/queue/tab', 'only tab 2', { 'x-tab': 2 });
    template.convertAndSendToSession(anonymous.id, '/queue/tab', 'hello stranger');
    const message = await d2!.next();
    expect(message.body).toBe('only tab 2');
    expect(message.headers['x-tab']).toBe('2');
    expect((await anon!.next()).body).toBe('hello stranger');
    expect(await staysEmpty(d1!, () => sendWithReceipt(tab1.client.client, '/topic/probe'))).toBe(true);
  });

  it('a session or user that is not connected gets nothing, and that is not an error', () => {
    expect(() => template.convertAndSendToSession('no-such-session', '/queue/tab', 'x')).not.toThrow();
    expect(() => template.convertAndSendToUser('nobody', '/queue/tab', 'x')).not.toThrow();
    expect(() => template.convertAndSend('/topic/nobody-listens', 'x')).not.toThrow();
  });

  it('works from a service called by a message handler', async () => {
    const erin = await t.connect('erin');
    const mine = await erin.subscribe('/user/queue/trades');
    const ticker = await erin.subscribe('/topic/trades.ACME');
    erin.client.publish({ destination: '/app/trade', body: JSON.stringify({ user: 'erin', ticker: 'ACME', shares: 5 }) });
    const fill = await mine.next();
    expect(JSON.parse(fill.body)).toEqual({ ticker: 'ACME', shares: 5 });
    expect(fill.headers['x-trade-kind']).toBe('fill');
    expect(JSON.parse((await ticker.next()).body)).toEqual({ ticker: 'ACME', shares: 5 });
  });

  describe('refuses, with a clear error', () => {
    it('an application destination (those are for clients)', () => {
      const error = thrown(() => template.convertAndSend('/app/chat', 'x'));
      expect(error).toBeInstanceOf(StompError);
      expect((error as StompError).code).toBe(StompErrorCode.NO_HANDLER);
      expect((error as StompError).message).toMatch(/'\/app\/chat' is an application destination/);
    });

    it('a destination the broker does not serve', () => {
      const error = thrown(() => template.convertAndSend('/elsewhere/x', 'x')) as StompError;
      expect(error.code).toBe(StompErrorCode.NO_HANDLER);
      expect(error.message).toMatch(/'\/elsewhere\/x' is not a broker destination/);
      const toUser = thrown(() => template.convertAndSendToUser('alice', '/app/x', 'x')) as StompError;
      expect(toUser.code).toBe(StompErrorCode.NO_HANDLER);
      expect(toUser.message).toMatch(/^convertAndSendToUser: '\/app\/x' is an application destination/);
    });

    it('a pattern', () => {
      const error = thrown(() => template.convertAndSend('/topic/price.*', 'x')) as StompError;
      expect(error.message).toMatch(/cannot send to the pattern/);
      expect(() => template.convertAndSendToUser('alice', '/queue/*', 'x')).toThrow(/Wildcards are not allowed/);
    });

    it('a user destination given with its prefix to convertAndSendToUser', () => {
      expect(() => template.convertAndSendToUser('alice', '/user/queue/x', 'x')).toThrow(
        new TypeError("convertAndSendToUser: pass the destination without '/user' ('/queue/x'); the template adds the user part itself"),
      );
    });

    it('a missing payload, or one that cannot be converted', () => {
      expect(() => template.convertAndSend('/topic/x', undefined)).toThrow(TypeError);
      expect(() => template.convertAndSend('/topic/x', null)).toThrow(/needs a payload/);
      expect(() => template.convertAndSend('/topic/x', () => 1)).toThrow(/Cannot convert a function/);
    });

    it('headers the server sets, and header values that are not text', () => {
      expect(() => template.convertAndSend('/topic/x', 'x', { 'message-id': '1' })).toThrow(/'message-id' is set by the server/);
      expect(() => template.convertAndSend('/topic/x', 'x', { subscription: 's' })).toThrow(/'subscription' is set by the server/);
      expect(() => template.convertAndSend('/topic/x', 'x', { 'x-obj': {} as unknown as string })).toThrow(
        /'x-obj' must be a string, number or boolean \(got object\)/,
      );
    });

    it('a missing user or session id', () => {
      expect(() => template.convertAndSendToUser('', '/queue/x', 'x')).toThrow(/user must be a non-empty string/);
      expect(() => template.convertAndSendToSession('', '/queue/x', 'x')).toThrow(/sessionId must be a non-empty string/);
    });

    it('and a refused send delivers nothing', async () => {
      const c = await t.connect();
      const inbox = await c.subscribe('/topic/x');
      expect(() => template.convertAndSend('/topic/x', 'x', { ack: 'client' })).toThrow();
      expect(await staysEmpty(inbox, () => sendWithReceipt(c.client, '/topic/probe'))).toBe(true);
    });
  });
});

import 'reflect-metadata';
import { Catch, Controller, UseFilters, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { of } from 'rxjs';
import {
  MessageMapping,
  Payload,
  SendTo,
  SendToUser,
  StompException,
  StompMessage,
  StompRecord,
  StompRecordBuilder,
  SubscribeMapping,
} from '../../src/index.js';
import { bootRoutingApp, json, sendWithReceipt, type RoutingApp } from './routing-test-app.js';

@Catch(StompException)
class CodedErrorFilter implements ExceptionFilter {
  catch(exception: StompException, host: ArgumentsHost) {
    const message = host.switchToWs().getData<StompMessage>();
    // `destination-origin` is the server's to set: the failed frame's destination wins over this one.
    return new StompRecord({ problem: exception.message, on: message.destination }, { 'x-error-code': 'E42', 'destination-origin': '/forged' });
  }
}

@Controller()
class OrdersController {
  @MessageMapping('/orders')
  @SendTo('/topic/orders', '/topic/audit')
  place(@Payload() order: { item: string }) {
    return new StompRecord({ ...order, id: 7 }, { 'x-order-id': 7, 'x-express': true });
  }

  @MessageMapping('/orders/text')
  @SendTo('/topic/orders')
  placeText(@Payload() text: string) {
    return new StompRecordBuilder(`ordered: ${text}`).setHeaders({ 'x-a': '1' }).setHeader('x-b', 2).build();
  }

  @MessageMapping('/orders/xml')
  @SendTo('/topic/orders')
  placeXml() {
    return new StompRecord('<order/>', { 'content-type': 'application/xml' });
  }

  @MessageMapping('/orders/stream')
  @SendTo('/topic/orders')
  stream() {
    return of(new StompRecord('first', { 'x-seq': 1 }), 'plain', new StompRecord('third', { 'x-seq': 3 }));
  }

  @MessageMapping('/orders/mine')
  @SendToUser('/queue/orders', { broadcast: false })
  mine() {
    return new StompRecord({ mine: true }, { 'x-for': 'you' });
  }

  @SubscribeMapping('/orders/snapshot')
  snapshot() {
    return new StompRecord(['o-1', 'o-2'], { 'x-snapshot-version': 3 });
  }

  @MessageMapping('/orders/bad-header')
  @SendTo('/topic/orders')
  badHeader() {
    return new StompRecord('x', { 'message-id': 'mine' });
  }

  @MessageMapping('/orders/refused')
  @UseFilters(CodedErrorFilter)
  refused() {
    throw new StompException('out of stock');
  }
}

describe('reply headers (StompRecord)', () => {
  let t: RoutingApp;
  beforeAll(async () => {
    t = await bootRoutingApp({ controllers: [OrdersController] });
  });
  afterAll(() => t.close());

  it('a returned StompRecord sends its payload converted and its headers, to every @SendTo destination', async () => {
    const c = await t.connect();
    const [orders, audit] = await Promise.all([c.subscribe('/topic/orders'), c.subscribe('/topic/audit')]);
    c.client.publish({ destination: '/app/orders', body: JSON.stringify({ item: 'tea' }) });
    for (const inbox of [orders, audit]) {
      const message = await inbox.next();
      expect(json(message.body)).toEqual({ item: 'tea', id: 7 });
      expect(message.headers['content-type']).toBe('application/json');
      expect(message.headers['x-order-id']).toBe('7');
      expect(message.headers['x-express']).toBe('true');
    }
  });

  it('StompRecordBuilder builds the same; a content-type header wins over the converter', async () => {
    const c = await t.connect();
    const orders = await c.subscribe('/topic/orders');
    c.client.publish({ destination: '/app/orders/text', body: 'tea', headers: { 'content-type': 'text/plain' } });
    c.client.publish({ destination: '/app/orders/xml', body: '' });
    const text = await orders.next();
    expect(text.body).toBe('ordered: tea');
    expect(text.headers['content-type']).toBe('text/plain;charset=utf-8');
    expect([text.headers['x-a'], text.headers['x-b']]).toEqual(['1', '2']);
    const xml = await orders.next();
    expect(xml.body).toBe('<order/>');
    expect(xml.headers['content-type']).toBe('application/xml');
  });

  it('each value of an Observable may be a record or a plain value', async () => {
    const c = await t.connect();
    const orders = await c.subscribe('/topic/orders');
    c.client.publish({ destination: '/app/orders/stream', body: '' });
    const received = [await orders.next(), await orders.next(), await orders.next()];
    expect(received.map((m) => [m.body, m.headers['x-seq']])).toEqual([
      ['first', '1'],
      ['plain', undefined],
      ['third', '3'],
    ]);
  });

  it('@SendToUser and @SubscribeMapping replies carry the record headers too', async () => {
    const c = await t.connect('alice');
    const mine = await c.subscribe('/user/queue/orders');
    c.client.publish({ destination: '/app/orders/mine', body: '' });
    const own = await mine.next();
    expect(json(own.body)).toEqual({ mine: true });
    expect(own.headers['x-for']).toBe('you');

    const snapshot = await c.subscribe('/app/orders/snapshot');
    const reply = await snapshot.next();
    expect(json(reply.body)).toEqual(['o-1', 'o-2']);
    expect(reply.headers['x-snapshot-version']).toBe('3');
    expect(reply.headers.destination).toBe('/app/orders/snapshot');
  });

  it('a record with a header the server owns is an error for the sender, not a message', async () => {
    const c = await t.connect();
    const errors = await c.subscribe('/user/queue/errors');
    const orders = await c.subscribe('/topic/orders');
    await sendWithReceipt(c.client, '/app/orders/bad-header');
    const error = json((await errors.next()).body) as { error: string };
    expect(error.error).toBe('InternalServerError');
    expect(t.logger.lines.some((l) => l.level === 'error' && l.message.includes("Header 'message-id' is set by the server"))).toBe(true);
    c.client.publish({ destination: '/app/orders/xml', body: '' });
    expect((await orders.next()).body).toBe('<order/>'); // the first message on the topic: nothing leaked before
  });

  it('an exception filter may return a record: its headers reach /user/queue/errors beside destination-origin', async () => {
    const c = await t.connect();
    const errors = await c.subscribe('/user/queue/errors');
    c.client.publish({ destination: '/app/orders/refused', body: '' });
    const message = await errors.next();
    expect(json(message.body)).toEqual({ problem: 'out of stock', on: '/app/orders/refused' });
    expect(message.headers['x-error-code']).toBe('E42');
    expect(message.headers['destination-origin']).toBe('/app/orders/refused');
  });
});

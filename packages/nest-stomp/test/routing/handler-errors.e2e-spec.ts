import 'reflect-metadata';
import { Catch, Controller, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { throwError } from 'rxjs';
import { MessageMapping, Payload, StompException, StompMessage, SubscribeMapping, type StompSession } from '../../src/index.js';
import { bootRoutingApp, json, sendWithReceipt, type RoutingApp } from './routing-test-app.js';

@Controller()
class FailingController {
  @MessageMapping('/stomp-exception')
  stompException() {
    throw new StompException('Room is full', { room: 'general', capacity: 2 });
  }

  @MessageMapping('/bug')
  bug() {
    throw new TypeError('secret internals');
  }

  @MessageMapping('/async-bug')
  async asyncBug() {
    await Promise.resolve();
    throw new StompException('async failure');
  }

  @MessageMapping('/stream-error')
  streamError() {
    return throwError(() => new StompException('stream failed'));
  }

  @MessageMapping('/bad-json')
  badJson(@Payload() body: unknown) {
    return body;
  }

  @SubscribeMapping('/failing-subscription')
  failingSubscription() {
    throw new StompException('cannot list');
  }

  @MessageMapping('/ok')
  ok() {
    return 'ok';
  }
}

describe('handler failures (default handling)', () => {
  let t: RoutingApp;
  beforeAll(async () => {
    t = await bootRoutingApp({ controllers: [FailingController] });
  });
  afterAll(() => t.close());

  it('a StompException goes to the sender /user/queue/errors with its details; RECEIPT still comes; connection stays', async () => {
    const c = await t.connect();
    const other = await t.connect();
    const errors = await c.subscribe('/user/queue/errors');
    const otherErrors = await other.subscribe('/user/queue/errors');
    await sendWithReceipt(c.client, '/app/stomp-exception');
    const error = await errors.next();
    expect(json(error.body)).toEqual({ error: 'StompException', message: 'Room is full', details: { room: 'general', capacity: 2 } });
    expect(error.headers['content-type']).toBe('application/json');
    expect(error.headers['destination-origin']).toBe('/app/stomp-exception');
    expect(error.headers.destination).toBe('/user/queue/errors');
    // Only the sender hears about it.
    const leaked: string[] = [];
    void otherErrors.next().then((m) => leaked.push(m.body));
    const ok = await c.subscribe('/topic/ok');
    c.client.publish({ destination: '/app/ok', body: '' });
    expect((await ok.next()).body).toBe('ok');
    expect(leaked).toEqual([]);
  });

  it('an unexpected error is reported without internals and logged with Nest Logger', async () => {
    const c = await t.connect();
    const errors = await c.subscribe('/user/queue/errors');
    await sendWithReceipt(c.client, '/app/bug');
    expect(json((await errors.next()).body)).toEqual({ error: 'InternalServerError', message: 'Internal server error' });
    const logged = t.logger.lines.filter((l) => l.level === 'error' && l.message.includes('secret internals'));
    expect(logged.length).toBeGreaterThan(0);
  });

  it('async rejections and Observable errors take the same path', async () => {
    const c = await t.connect();
    const errors = await c.subscribe('/user/queue/errors');
    c.client.publish({ destination: '/app/async-bug', body: '' });
    expect(json((await errors.next()).body)).toMatchObject({ error: 'StompException', message: 'async failure' });
    c.client.publish({ destination: '/app/stream-error', body: '' });
    expect(json((await errors.next()).body)).toMatchObject({ error: 'StompException', message: 'stream failed' });
  });

  it('a payload that is not valid JSON is reported, not fatal', async () => {
    const c = await t.connect();
    const errors = await c.subscribe('/user/queue/errors');
    c.client.publish({ destination: '/app/bad-json', body: 'not json' });
    const error = json((await errors.next()).body) as { error: string; message: string };
    expect(error.error).toBe('StompException');
    expect(error.message).toMatch(/not valid JSON/);
  });

  it('a failing @SubscribeMapping reports to the error queue', async () => {
    const c = await t.connect();
    const errors = await c.subscribe('/user/queue/errors');
    c.client.subscribe('/app/failing-subscription', () => undefined);
    const error = await errors.next();
    expect(json(error.body)).toEqual({ error: 'StompException', message: 'cannot list' });
    expect(error.headers['destination-origin']).toBe('/app/failing-subscription');
  });

  it('a SEND to an unmapped application destination is an ERROR (with receipt-id) and the connection closes', async () => {
    const c = await t.connect();
    c.client.publish({ destination: '/app/nowhere', body: '', headers: { receipt: 'r-nowhere' } });
    const frame = await c.error;
    expect(frame.headers.message).toBe('No @MessageMapping for /app/nowhere');
    expect(frame.headers['receipt-id']).toBe('r-nowhere');
    await c.closed;
  });

  it('a SUBSCRIBE to an unmapped application destination is an ERROR and the connection closes', async () => {
    const c = await t.connect();
    c.client.subscribe('/app/ok', () => undefined); // mapped for SEND only
    const frame = await c.error;
    expect(frame.headers.message).toBe('No @SubscribeMapping for /app/ok');
    await c.closed;
  });
});

@Catch()
class GlobalFilter implements ExceptionFilter {
  catch(exception: Error, host: ArgumentsHost) {
    const session = host.switchToWs().getClient<StompSession>();
    return { global: true, error: exception.message, session: session.id, type: host.getType(), data: host.switchToWs().getData() instanceof StompMessage };
  }
}

describe('global exception filters', () => {
  let t: RoutingApp;
  beforeAll(async () => {
    t = await bootRoutingApp({ controllers: [FailingController], configure: (app) => app.useGlobalFilters(new GlobalFilter()) });
  });
  afterAll(() => t.close());

  it('app.useGlobalFilters filters see STOMP handler errors; their result goes to the error queue', async () => {
    const c = await t.connect();
    const errors = await c.subscribe('/user/queue/errors');
    c.client.publish({ destination: '/app/bug', body: '' });
    const error = json((await errors.next()).body) as Record<string, unknown>;
    expect(error).toMatchObject({ global: true, error: 'secret internals', type: 'stomp', data: true });
    expect(t.server.sessions.has(error.session as string)).toBe(true);
  });
});

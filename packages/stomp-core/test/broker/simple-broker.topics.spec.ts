import { SimpleBroker } from '../../src/broker/simple-broker.js';
import { StompErrorCode } from '../../src/errors/error-codes.js';
import { StompLimitError } from '../../src/errors/stomp-limit.error.js';
import { code, FakeClient, message, setup } from './fake-client.js';

describe('SimpleBroker: destinations', () => {
  it('isBrokerDestination: a prefix followed by / or . or nothing', () => {
    const broker = new SimpleBroker();
    for (const d of ['/topic', '/topic/a', '/topic.a', '/queue/x', '/queue']) expect(broker.isBrokerDestination(d)).toBe(true);
    for (const d of ['/topics/a', '/topicx', '/app/x', '/user/queue/x', 'topic/a', '']) expect(broker.isBrokerDestination(d)).toBe(false);
  });

  it('a prefix given with its separator is a plain string prefix', () => {
    const broker = new SimpleBroker({ destinationPrefixes: ['/topic/', 'exchange.'], queuePrefixes: [] });
    expect(broker.isBrokerDestination('/topic/a')).toBe(true);
    expect(broker.isBrokerDestination('/topic')).toBe(false);
    expect(broker.isBrokerDestination('exchange.x')).toBe(true);
  });

  it('isQueueDestination follows queuePrefixes', () => {
    const broker = new SimpleBroker({ queuePrefixes: ['/queue', '/exchange/work'] });
    expect(broker.isQueueDestination('/queue/a')).toBe(true);
    expect(broker.isQueueDestination('/exchange/work.x')).toBe(true);
    expect(broker.isQueueDestination('/topic/a')).toBe(false);
  });

  it('rejects nonsensical limits at construction', () => {
    expect(() => new SimpleBroker({ maxQueuedMessages: 0 })).toThrow(RangeError);
    expect(() => new SimpleBroker({ maxSubscriptionsPerSession: 1.5 })).toThrow(RangeError);
  });
});

describe('SimpleBroker: topics', () => {
  it('fans out to every matching subscription, exact and pattern, and to no other', () => {
    const { broker, clients: [a, b, c, d] } = setup(4);
    broker.subscribe(a!, 's1', '/topic/price.stock.MMM', 'auto', {});
    broker.subscribe(b!, 's1', '/topic/price.stock.*', 'auto', {});
    broker.subscribe(c!, 's1', '/topic/**', 'auto', {});
    broker.subscribe(d!, 's1', '/topic/price.stock.IBM', 'auto', {});
    broker.publish(message('/topic/price.stock.MMM', 'm1'));
    expect([a!.bodies(), b!.bodies(), c!.bodies(), d!.bodies()]).toEqual([['m1'], ['m1'], ['m1'], []]);
    broker.publish(message('/topic/price.stock.a.b', 'm2'));
    expect([a!.bodies(), b!.bodies(), c!.bodies(), d!.bodies()]).toEqual([['m1'], ['m1'], ['m1', 'm2'], []]);
    const delivery = b!.last();
    expect(delivery.subscription.id).toBe('s1');
    expect(delivery.subscription.destination).toBe('/topic/price.stock.*');
    expect(delivery.subscription.client).toBe(b);
    expect(delivery.redelivered).toBe(false);
  });

  it('every subscriber sees messages in publish order; one message object is shared', () => {
    const { broker, clients } = setup(100);
    clients.forEach((client, i) => broker.subscribe(client, 'x', i % 2 ? '/topic/feed' : '/topic/*', 'auto', {}));
    const sent = Array.from({ length: 20 }, (_, i) => message('/topic/feed', `m${i}`));
    for (const m of sent) broker.publish(m);
    for (const client of clients) {
      expect(client.bodies()).toEqual(sent.map((m) => m.body.toString()));
      expect(client.deliveries[3]!.message).toBe(sent[3]);
    }
  });

  it('a client subscribed twice gets it once per subscription: auto deliveries share the message id, acked ones do not', () => {
    const { broker, clients: [a] } = setup(1);
    broker.subscribe(a!, 'exact', '/topic/a', 'auto', {});
    broker.subscribe(a!, 'pattern', '/topic/*', 'auto', {});
    broker.subscribe(a!, 'acked-1', '/topic/a', 'client-individual', {});
    broker.subscribe(a!, 'acked-2', '/topic/**', 'client', {});
    broker.publish(message('/topic/a', 'm'));
    expect(a!.deliveries.map((d) => d.subscription.id).sort()).toEqual(['acked-1', 'acked-2', 'exact', 'pattern']);
    const idOf = (sub: string) => a!.deliveries.find((d) => d.subscription.id === sub)!.messageId;
    // STOMP: message-id identifies the message; `subscription` tells the deliveries apart.
    expect(idOf('exact')).toBe(idOf('pattern'));
    // ACK/NACK name a delivery, so acked deliveries get ids of their own.
    expect(new Set([idOf('exact'), idOf('acked-1'), idOf('acked-2')]).size).toBe(3);
  });

  it('auto deliveries of different messages get different ids', () => {
    const { broker, clients: [a] } = setup(1);
    broker.subscribe(a!, 's', '/topic/a', 'auto', {});
    broker.publish(message('/topic/a', '1'));
    broker.publish(message('/topic/a', '2'));
    expect(a!.deliveries[0]!.messageId).not.toBe(a!.deliveries[1]!.messageId);
  });

  it('message ids are unique per client across subscriptions and destinations', () => {
    const { broker, clients: [a, b] } = setup(2);
    broker.subscribe(a!, '1', '/topic/a', 'auto', {});
    broker.subscribe(a!, '2', '/queue/q', 'client', {});
    broker.subscribe(b!, '1', '/topic/a', 'auto', {});
    for (let i = 0; i < 5; i++) {
      broker.publish(message('/topic/a', `t${i}`));
      broker.publish(message('/queue/q', `q${i}`));
    }
    const ids = a!.deliveries.map((d) => d.messageId);
    expect(ids).toHaveLength(10);
    expect(new Set(ids).size).toBe(10);
  });

  it('no subscriber: the message is dropped (topics hold nothing)', () => {
    const { broker, clients: [a] } = setup(1);
    broker.publish(message('/topic/a', 'lost'));
    broker.subscribe(a!, 's', '/topic/a', 'auto', {});
    expect(a!.deliveries).toHaveLength(0);
  });

  it('unsubscribe stops delivery at once; the id may be reused', () => {
    const { broker, clients: [a] } = setup(1);
    broker.subscribe(a!, 's', '/topic/*', 'auto', {});
    broker.publish(message('/topic/a', '1'));
    broker.unsubscribe(a!, 's');
    broker.publish(message('/topic/a', '2'));
    broker.subscribe(a!, 's', '/topic/a', 'auto', {});
    broker.publish(message('/topic/a', '3'));
    expect(a!.bodies()).toEqual(['1', '3']);
    expect(broker.subscriptionCount).toBe(1);
  });

  it('a client-ack topic subscription with a full window misses messages (counted), never holds them', () => {
    const { broker, clients: [a] } = setup(1);
    broker.subscribe(a!, 's', '/topic/a', 'client-individual', { 'prefetch-count': '2' });
    for (const b of ['1', '2', '3']) broker.publish(message('/topic/a', b));
    expect(a!.bodies()).toEqual(['1', '2']);
    expect(broker.droppedCount).toBe(1);
    broker.ack(a!, a!.find('1').messageId);
    broker.publish(message('/topic/a', '4'));
    expect(a!.bodies()).toEqual(['1', '2', '4']);
  });
});

describe('SimpleBroker: subscription ids and limits', () => {
  it('DUPLICATE_SUBSCRIPTION for an id the client already uses; other clients may use it', () => {
    const { broker, clients: [a, b] } = setup(2);
    broker.subscribe(a!, 'x', '/topic/a', 'auto', {});
    expect(() => broker.subscribe(a!, 'x', '/topic/b', 'auto', {})).toThrow(code(StompErrorCode.DUPLICATE_SUBSCRIPTION));
    expect(() => broker.subscribe(b!, 'x', '/topic/b', 'auto', {})).not.toThrow();
    expect(broker.subscriptionCount).toBe(2);
  });

  it('UNKNOWN_SUBSCRIPTION for an unknown id, and for an id unsubscribed already', () => {
    const { broker, clients: [a, b] } = setup(2);
    expect(() => broker.unsubscribe(a!, 'nope')).toThrow(code(StompErrorCode.UNKNOWN_SUBSCRIPTION));
    broker.subscribe(a!, 'x', '/topic/a', 'auto', {});
    expect(() => broker.unsubscribe(b!, 'x')).toThrow(code(StompErrorCode.UNKNOWN_SUBSCRIPTION));
    broker.unsubscribe(a!, 'x');
    expect(() => broker.unsubscribe(a!, 'x')).toThrow(code(StompErrorCode.UNKNOWN_SUBSCRIPTION));
  });

  it('maxSubscriptionsPerSession: n subscriptions pass, n+1 is LIMIT_EXCEEDED', () => {
    const { broker, clients: [a, b] } = setup(2, { maxSubscriptionsPerSession: 3 });
    for (let i = 0; i < 3; i++) broker.subscribe(a!, `s${i}`, `/topic/${i}`, 'auto', {});
    let error: unknown;
    try {
      broker.subscribe(a!, 's3', '/topic/3', 'auto', {});
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(StompLimitError);
    expect((error as StompLimitError).code).toBe(StompErrorCode.LIMIT_EXCEEDED);
    broker.subscribe(b!, 's0', '/topic/0', 'auto', {}); // per session
    broker.unsubscribe(a!, 's0');
    expect(() => broker.subscribe(a!, 's3', '/topic/3', 'auto', {})).not.toThrow();
  });

  it('malformed patterns, wildcard queues and bad headers are INVALID_HEADER and leave no subscription', () => {
    const { broker, clients: [a] } = setup(1);
    expect(() => broker.subscribe(a!, 'x', '/topic/a**', 'auto', {})).toThrow(code(StompErrorCode.INVALID_HEADER));
    expect(() => broker.subscribe(a!, 'x', '/queue/*', 'auto', {})).toThrow(/Queue destinations are exact/);
    expect(() => broker.subscribe(a!, 'x', '/queue/**', 'auto', {})).toThrow(code(StompErrorCode.INVALID_HEADER));
    expect(() => broker.subscribe(a!, 'x', '/queue/a', 'client', { 'prefetch-count': '-1' })).toThrow(code(StompErrorCode.INVALID_HEADER));
    expect(() => broker.subscribe(a!, 'x', '/queue/a', 'client', { 'prefetch-count': 'ten' })).toThrow(code(StompErrorCode.INVALID_HEADER));
    expect(() => broker.subscribe(a!, 'x', '/queue/a', 'sometimes' as never, {})).toThrow(code(StompErrorCode.INVALID_HEADER));
    expect(broker.subscriptionCount).toBe(0);
    expect(() => broker.subscribe(a!, 'x', '/topic/a', 'auto', {})).not.toThrow();
  });

  it('a client that was never added (or was removed) cannot subscribe', () => {
    const broker = new SimpleBroker();
    const stranger = new FakeClient('x');
    expect(() => broker.subscribe(stranger, 's', '/topic/a', 'auto', {})).toThrow(code(StompErrorCode.NOT_CONNECTED));
    broker.addClient(stranger);
    broker.removeClient(stranger);
    expect(() => broker.subscribe(stranger, 's', '/topic/a', 'auto', {})).toThrow(code(StompErrorCode.NOT_CONNECTED));
  });

  it('close() drops everything', () => {
    const { broker, clients: [a, b] } = setup(2);
    broker.subscribe(a!, 's', '/topic/a', 'auto', {});
    broker.subscribe(b!, 's', '/queue/q', 'client', {});
    broker.publish(message('/queue/q', '1'));
    broker.publish(message('/queue/other', 'held'));
    broker.close();
    expect([broker.clientCount, broker.subscriptionCount, broker.queueCount, broker.pendingCount(b!)]).toEqual([0, 0, 0, 0]);
    broker.publish(message('/topic/a', 'after'));
    expect(a!.deliveries).toHaveLength(0);
  });
});

import { code, message, setup } from './fake-client.js';
import { StompErrorCode } from '../../src/errors/error-codes.js';

const UNKNOWN_ACK = code(StompErrorCode.UNKNOWN_ACK);

describe('SimpleBroker: ack modes', () => {
  it('auto: nothing is tracked; ACK and NACK of it are UNKNOWN_ACK', () => {
    const { broker, clients: [a] } = setup(1);
    broker.subscribe(a!, 'q', '/queue/a', 'auto', {});
    broker.subscribe(a!, 't', '/topic/a', 'auto', {});
    broker.publish(message('/queue/a', '1'));
    broker.publish(message('/topic/a', '2'));
    expect(broker.pendingCount(a!)).toBe(0);
    expect(broker.unackedCount('/queue/a')).toBe(0);
    for (const d of a!.deliveries) {
      expect(() => broker.ack(a!, d.messageId)).toThrow(UNKNOWN_ACK);
      expect(() => broker.nack(a!, d.messageId)).toThrow(UNKNOWN_ACK);
    }
  });

  it('UNKNOWN_ACK: an id never sent, another client\'s id, an id acked already', () => {
    const { broker, clients: [a, b] } = setup(2);
    broker.subscribe(a!, 'q', '/queue/a', 'client-individual', {});
    broker.publish(message('/queue/a', '1'));
    const id = a!.last().messageId;
    expect(() => broker.ack(a!, 'nope')).toThrow(UNKNOWN_ACK);
    expect(() => broker.ack(b!, id)).toThrow(UNKNOWN_ACK);
    broker.ack(a!, id);
    expect(() => broker.ack(a!, id)).toThrow(UNKNOWN_ACK);
    expect(() => broker.nack(a!, id)).toThrow(UNKNOWN_ACK);
  });

  it('client-individual: ACK settles exactly that delivery', () => {
    const { broker, clients: [a] } = setup(1);
    broker.subscribe(a!, 'q', '/queue/a', 'client-individual', {});
    for (const b of ['1', '2', '3']) broker.publish(message('/queue/a', b));
    broker.ack(a!, a!.find('2').messageId);
    expect(broker.pendingCount(a!)).toBe(2);
    expect(broker.unackedCount('/queue/a')).toBe(2);
    broker.ack(a!, a!.find('1').messageId);
    broker.ack(a!, a!.find('3').messageId);
    expect(broker.pendingCount(a!)).toBe(0);
  });

  it('client: ACK is cumulative within the subscription, in delivery order', () => {
    const { broker, clients: [a] } = setup(1);
    broker.subscribe(a!, 'q', '/queue/a', 'client', {});
    broker.subscribe(a!, 'other', '/queue/b', 'client', {});
    for (const b of ['1', '2', '3']) broker.publish(message('/queue/a', b));
    broker.publish(message('/queue/b', 'x'));
    broker.ack(a!, a!.find('2').messageId);
    expect(broker.pendingCount(a!)).toBe(2); // '3' and the other subscription's 'x'
    expect(() => broker.ack(a!, a!.find('1').messageId)).toThrow(UNKNOWN_ACK);
    broker.ack(a!, a!.find('3').messageId);
    expect(broker.pendingCount(a!)).toBe(1);
    expect(broker.unackedCount('/queue/a')).toBe(0);
    expect(broker.unackedCount('/queue/b')).toBe(1);
  });

  it('client mode on a topic: cumulative ack too', () => {
    const { broker, clients: [a] } = setup(1);
    broker.subscribe(a!, 't', '/topic/*', 'client', {});
    for (const b of ['1', '2', '3']) broker.publish(message('/topic/a', b));
    broker.ack(a!, a!.find('3').messageId);
    expect(broker.pendingCount(a!)).toBe(0);
  });
});

describe('SimpleBroker: NACK', () => {
  it('a NACKed queue message is redelivered, flagged, round-robin: here to the other consumer', () => {
    const { broker, clients: [a, b] } = setup(2);
    broker.subscribe(a!, 'q', '/queue/n', 'client-individual', {});
    broker.subscribe(b!, 'q', '/queue/n', 'client-individual', {});
    broker.publish(message('/queue/n', '1')); // to a; b is next in turn
    broker.nack(a!, a!.find('1').messageId);
    expect(b!.bodies()).toEqual(['1']);
    expect(b!.last().redelivered).toBe(true);
    expect(broker.pendingCount(a!)).toBe(0);
    broker.publish(message('/queue/n', '2'));
    expect(a!.bodies()).toEqual(['1', '2']);
    expect(a!.last().redelivered).toBe(false);
  });

  it('NACKed messages are ahead of waiting ones, and may come back to the same client', () => {
    const { broker, clients: [a] } = setup(1);
    broker.subscribe(a!, 'q', '/queue/n', 'client-individual', { 'prefetch-count': '1' });
    for (const m of ['1', '2']) broker.publish(message('/queue/n', m));
    broker.nack(a!, a!.find('1').messageId);
    expect(a!.bodies()).toEqual(['1', '1']);
    expect(a!.last().redelivered).toBe(true);
    expect(a!.last().messageId).not.toBe(a!.deliveries[0]!.messageId); // a fresh ack id
  });

  it('client mode: NACK is cumulative; the NACKed messages return in original order', () => {
    const { broker, clients: [a, b] } = setup(2);
    broker.subscribe(a!, 'q', '/queue/n', 'client', { 'prefetch-count': '3' });
    for (const m of ['1', '2', '3', '4']) broker.publish(message('/queue/n', m));
    expect(broker.queueDepth('/queue/n')).toBe(1); // '4' waits: a's window is full
    broker.subscribe(b!, 'q', '/queue/n', 'client', { 'prefetch-count': '3' });
    expect(b!.bodies()).toEqual(['4']);
    broker.nack(a!, a!.find('2').messageId); // NACKs '1' and '2'; '3' stays pending
    // Front of the queue is now ['1', '2']; round-robin resumes at a.
    expect(a!.bodies()).toEqual(['1', '2', '3', '1']);
    expect(b!.bodies()).toEqual(['4', '2']);
    expect([a!.last().redelivered, b!.last().redelivered]).toEqual([true, true]);
    expect(broker.pendingCount(a!)).toBe(2);
    expect(broker.unackedCount('/queue/n')).toBe(4);
  });

  it('a NACKed topic message is dropped', () => {
    const { broker, clients: [a] } = setup(1);
    broker.subscribe(a!, 't', '/topic/a', 'client-individual', {});
    broker.publish(message('/topic/a', '1'));
    broker.nack(a!, a!.last().messageId);
    expect(a!.deliveries).toHaveLength(1);
    expect(broker.pendingCount(a!)).toBe(0);
  });
});

describe('SimpleBroker: unsubscribe and removeClient return unacknowledged messages', () => {
  it('unsubscribe: unacked queue messages go to the other consumers, in original order, redelivered', () => {
    const { broker, clients: [a, b] } = setup(2);
    broker.subscribe(a!, 'q', '/queue/u', 'client-individual', {});
    for (const m of ['1', '2', '3']) broker.publish(message('/queue/u', m));
    broker.ack(a!, a!.find('2').messageId);
    broker.unsubscribe(a!, 'q');
    expect(broker.pendingCount(a!)).toBe(0);
    expect(broker.queueDepth('/queue/u')).toBe(2);
    broker.publish(message('/queue/u', '4'));
    broker.subscribe(b!, 'q', '/queue/u', 'client-individual', {});
    expect(b!.bodies()).toEqual(['1', '3', '4']);
    expect(b!.deliveries.map((d) => d.redelivered)).toEqual([true, true, false]);
  });

  it('unsubscribe from a queue with another consumer: returned messages go to it at once', () => {
    const { broker, clients: [a, b] } = setup(2);
    broker.subscribe(a!, 'q', '/queue/u', 'client', {});
    broker.subscribe(b!, 'q', '/queue/u', 'client', { 'prefetch-count': '5' });
    for (const m of ['1', '2', '3', '4']) broker.publish(message('/queue/u', m));
    expect([a!.bodies(), b!.bodies()]).toEqual([['1', '3'], ['2', '4']]);
    broker.unsubscribe(a!, 'q');
    expect(b!.bodies()).toEqual(['2', '4', '1', '3']);
  });

  it('removeClient: all its subscriptions stop, unacked messages return in delivery order, acks are forgotten', () => {
    const { broker, clients: [a, b] } = setup(2);
    broker.subscribe(a!, 'q1', '/queue/r', 'client', {});
    broker.subscribe(a!, 'q2', '/queue/r', 'client-individual', {});
    broker.subscribe(a!, 't', '/topic/r', 'client', {});
    for (const m of ['1', '2', '3', '4']) broker.publish(message('/queue/r', m));
    broker.publish(message('/topic/r', 't'));
    broker.publish(message('/queue/r', 'waiting-after')); // still delivered to a (q1)
    const ids = a!.deliveries.map((d) => d.messageId);
    broker.removeClient(a!);
    expect([broker.subscriptionCount, broker.pendingCount(a!), broker.unackedCount('/queue/r')]).toEqual([0, 0, 0]);
    expect(() => broker.ack(a!, ids[0]!)).toThrow(UNKNOWN_ACK);
    broker.subscribe(b!, 'q', '/queue/r', 'auto', {});
    expect(b!.bodies()).toEqual(['1', '2', '3', '4', 'waiting-after']);
    expect(b!.deliveries.every((d) => d.redelivered)).toBe(true);
    broker.publish(message('/topic/r', 'gone'));
    expect(a!.bodies()).not.toContain('gone');
  });

  it('removeClient of an unknown client, or twice, is harmless', () => {
    const { broker, clients: [a] } = setup(1);
    broker.removeClient(a!);
    expect(() => broker.removeClient(a!)).not.toThrow();
    expect(broker.clientCount).toBe(0);
  });
});

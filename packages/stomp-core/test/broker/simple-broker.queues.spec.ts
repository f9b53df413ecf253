import { StompErrorCode } from '../../src/errors/error-codes.js';
import { StompLimitError } from '../../src/errors/stomp-limit.error.js';
import { code, message, setup } from './fake-client.js';

describe('SimpleBroker: queues', () => {
  it('each message goes to exactly one consumer, round-robin', () => {
    const { broker, clients: [a, b, c] } = setup(3);
    for (const client of [a!, b!, c!]) broker.subscribe(client, 'q', '/queue/work', 'auto', {});
    for (let i = 0; i < 7; i++) broker.publish(message('/queue/work', `m${i}`));
    expect(a!.bodies()).toEqual(['m0', 'm3', 'm6']);
    expect(b!.bodies()).toEqual(['m1', 'm4']);
    expect(c!.bodies()).toEqual(['m2', 'm5']);
  });

  it('round-robin continues past a consumer that leaves', () => {
    const { broker, clients: [a, b, c] } = setup(3);
    for (const client of [a!, b!, c!]) broker.subscribe(client, 'q', '/queue/work', 'auto', {});
    broker.publish(message('/queue/work', 'm0')); // a
    broker.unsubscribe(b!, 'q'); // b was next
    broker.publish(message('/queue/work', 'm1'));
    broker.publish(message('/queue/work', 'm2'));
    expect([a!.bodies(), b!.bodies(), c!.bodies()]).toEqual([['m0', 'm2'], [], ['m1']]);
  });

  it('holds messages without a subscriber and delivers them in order on the next SUBSCRIBE', () => {
    const { broker, clients: [a] } = setup(1);
    for (let i = 0; i < 3; i++) broker.publish(message('/queue/later', `m${i}`));
    expect(broker.queueDepth('/queue/later')).toBe(3);
    broker.subscribe(a!, 'q', '/queue/later', 'auto', {});
    expect(a!.bodies()).toEqual(['m0', 'm1', 'm2']);
    expect(a!.deliveries.every((d) => !d.redelivered)).toBe(true);
    expect(broker.queueDepth('/queue/later')).toBe(0);
  });

  it('a topic subscriber never sees queue messages, and a queue is not a topic pattern target', () => {
    const { broker, clients: [a, b] } = setup(2);
    broker.subscribe(a!, 'all', '/**', 'auto', {});
    broker.subscribe(b!, 'q', '/queue/x', 'auto', {});
    broker.publish(message('/queue/x', 'q'));
    broker.publish(message('/topic/y', 't'));
    expect(a!.bodies()).toEqual(['t']);
    expect(b!.bodies()).toEqual(['q']);
  });

  it('maxQueuedMessages: n-1 and n are held, n+1 is QUEUE_FULL and nothing is lost or added', () => {
    const n = 3;
    const { broker, clients: [a] } = setup(1, { maxQueuedMessages: n });
    for (let i = 0; i < n - 1; i++) broker.publish(message('/queue/b', `m${i}`));
    expect(broker.queueDepth('/queue/b')).toBe(n - 1);
    broker.publish(message('/queue/b', `m${n - 1}`));
    expect(broker.queueDepth('/queue/b')).toBe(n);
    let error: unknown;
    try {
      broker.publish(message('/queue/b', 'overflow'));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(StompLimitError);
    expect((error as StompLimitError).code).toBe(StompErrorCode.QUEUE_FULL);
    expect(broker.queueDepth('/queue/b')).toBe(n);
    broker.subscribe(a!, 'q', '/queue/b', 'auto', {});
    expect(a!.bodies()).toEqual(['m0', 'm1', 'm2']);
    // Other queues are bounded separately.
    expect(() => broker.publish(message('/queue/other', 'x'))).not.toThrow();
  });

  it('unacknowledged messages count toward the bound until acknowledged', () => {
    const { broker, clients: [a] } = setup(1, { maxQueuedMessages: 2 });
    broker.subscribe(a!, 'q', '/queue/b', 'client-individual', {});
    broker.publish(message('/queue/b', '1'));
    broker.publish(message('/queue/b', '2'));
    expect(broker.unackedCount('/queue/b')).toBe(2);
    expect(() => broker.publish(message('/queue/b', '3'))).toThrow(code(StompErrorCode.QUEUE_FULL));
    broker.ack(a!, a!.find('1').messageId);
    broker.publish(message('/queue/b', '3'));
    expect(a!.bodies()).toEqual(['1', '2', '3']);
  });

  it('publishing to a wildcard queue destination is INVALID_HEADER', () => {
    const { broker } = setup(0);
    expect(() => broker.publish(message('/queue/*', 'x'))).toThrow(code(StompErrorCode.INVALID_HEADER));
    expect(broker.queueCount).toBe(0);
  });

  it('prefetch-count bounds the unacknowledged deliveries per subscription; acks let the rest through', () => {
    const { broker, clients: [a, b] } = setup(2);
    broker.subscribe(a!, 'q', '/queue/p', 'client-individual', { 'prefetch-count': '2' });
    for (let i = 0; i < 5; i++) broker.publish(message('/queue/p', `m${i}`));
    expect(a!.bodies()).toEqual(['m0', 'm1']);
    expect(broker.queueDepth('/queue/p')).toBe(3);
    broker.ack(a!, a!.find('m0').messageId);
    expect(a!.bodies()).toEqual(['m0', 'm1', 'm2']);
    // A second consumer without prefetch takes what a cannot.
    broker.subscribe(b!, 'q', '/queue/p', 'client-individual', {});
    expect(b!.bodies()).toEqual(['m3', 'm4']);
    expect(broker.queueDepth('/queue/p')).toBe(0);
  });

  it('prefetch-count 0 means unlimited; prefetch is ignored for auto', () => {
    const { broker, clients: [a, b] } = setup(2);
    broker.subscribe(a!, 'q', '/queue/z', 'client', { 'prefetch-count': '0' });
    broker.subscribe(b!, 'q', '/queue/y', 'auto', { 'prefetch-count': '1' });
    for (let i = 0; i < 3; i++) {
      broker.publish(message('/queue/z', `${i}`));
      broker.publish(message('/queue/y', `${i}`));
    }
    expect(a!.bodies()).toEqual(['0', '1', '2']);
    expect(b!.bodies()).toEqual(['0', '1', '2']);
  });

  it('drops a queue that has no consumer, message or pending ack', () => {
    const { broker, clients: [a] } = setup(1);
    broker.subscribe(a!, 'q', '/queue/t', 'client', {});
    broker.publish(message('/queue/t', '1'));
    broker.unsubscribe(a!, 'q');
    expect(broker.queueCount).toBe(1); // the returned message waits
    broker.subscribe(a!, 'q2', '/queue/t', 'auto', {});
    expect(a!.bodies()).toEqual(['1', '1']);
    broker.unsubscribe(a!, 'q2');
    expect(broker.queueCount).toBe(0);
  });
});

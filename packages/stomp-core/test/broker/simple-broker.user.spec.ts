import { messageTail } from '../../src/codec/stomp-encoder.js';
import { message, setup } from './fake-client.js';

describe('SimpleBroker: what user destinations need', () => {
  it('dropQueue discards the waiting messages of a queue nobody consumes, and the queue with them', () => {
    const { broker } = setup(0);
    broker.publish(message('/queue/x-userA', 'm1'));
    broker.publish(message('/queue/x-userA', 'm2'));
    broker.publish(message('/queue/other', 'keep'));
    expect(broker.queueCount).toBe(2);
    broker.dropQueue('/queue/x-userA');
    expect(broker.queueDepth('/queue/x-userA')).toBe(0);
    expect(broker.queueCount).toBe(1);
    expect(broker.queueDepth('/queue/other')).toBe(1);
    broker.dropQueue('/queue/never-existed');
    broker.dropQueue('/topic/t');
    expect(broker.queueCount).toBe(1);
  });

  it('dropQueue keeps a queue that still has a consumer (only its waiting messages go)', () => {
    const { broker, clients: [a] } = setup(1);
    broker.subscribe(a!, 's', '/queue/q', 'client', { 'prefetch-count': '1' });
    broker.publish(message('/queue/q', 'delivered'));
    broker.publish(message('/queue/q', 'waiting'));
    broker.dropQueue('/queue/q');
    expect(broker.queueCount).toBe(1);
    expect(broker.queueDepth('/queue/q')).toBe(0);
    expect(broker.unackedCount('/queue/q')).toBe(1);
    broker.ack(a!, a!.last().messageId);
    broker.publish(message('/queue/q', 'after'));
    expect(a!.bodies()).toEqual(['delivered', 'after']);
  });

  it('a message with deliveredAs reaches exact subscriptions only, and its MESSAGE shows deliveredAs', () => {
    const { broker, clients: [exact, pattern] } = setup(2);
    broker.subscribe(exact!, 's', '/topic/t-userA', 'auto', {});
    broker.subscribe(pattern!, 's', '/topic/*', 'auto', {});
    broker.publish({ ...message('/topic/t-userA', 'private'), deliveredAs: '/user/topic/t' });
    broker.publish(message('/topic/t-userA', 'plain'));
    expect(exact!.bodies()).toEqual(['private', 'plain']);
    expect(pattern!.bodies()).toEqual(['plain']);
    const tail = messageTail(exact!.deliveries[0]!.message, '1.1').toString();
    expect(tail.startsWith('destination:/user/topic/t\n')).toBe(true);
    expect(tail).not.toContain('t-userA');
  });
});

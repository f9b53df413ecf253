import type { Delivery } from '../../src/broker/message-broker.js';
import { FakeClient, message, setup } from './fake-client.js';

/** Acks every delivery of `client` as it arrives (a client that acks synchronously). */
const ackOnArrival = (broker: ReturnType<typeof setup>['broker'], client: FakeClient) => {
  client.onDeliver = (d: Delivery) => broker.ack(client, d.messageId);
};

describe('SimpleBroker: re-entrant deliver()', () => {
  it('topic: removeClient of itself and of a later subscriber mid fan-out', () => {
    const { broker, clients: [a, b, c, d] } = setup(4);
    for (const client of [a!, b!, c!, d!]) broker.subscribe(client, 's', '/topic/x', 'auto', {});
    b!.onDeliver = () => {
      broker.removeClient(c!);
      broker.removeClient(b!);
    };
    broker.publish(message('/topic/x', 'm1'));
    expect([a!.bodies(), b!.bodies(), c!.bodies(), d!.bodies()]).toEqual([['m1'], ['m1'], [], ['m1']]);
    broker.publish(message('/topic/x', 'm2'));
    expect([a!.bodies(), b!.bodies(), c!.bodies(), d!.bodies()]).toEqual([['m1', 'm2'], ['m1'], [], ['m1', 'm2']]);
    expect(broker.subscriptionCount).toBe(2);
  });

  it('topic: a publish from inside deliver() reaches every subscriber after the current message', () => {
    const { broker, clients: [a, b, c] } = setup(3);
    for (const client of [a!, b!, c!]) broker.subscribe(client, 's', '/topic/*', 'auto', {});
    a!.onDeliver = (d) => {
      if (d.message.body.toString() === 'm1') broker.publish(message('/topic/y', 'm2'));
    };
    broker.publish(message('/topic/x', 'm1'));
    for (const client of [a!, b!, c!]) expect(client.bodies()).toEqual(['m1', 'm2']);
  });

  it('topic: a subscription made inside deliver() gets the next message, not the current one', () => {
    const { broker, clients: [a, e] } = setup(2);
    broker.subscribe(a!, 's', '/topic/x', 'auto', {});
    a!.onDeliver = () => {
      if (broker.subscriptionCount === 1) broker.subscribe(e!, 's', '/topic/x', 'auto', {});
    };
    broker.publish(message('/topic/x', 'm1'));
    broker.publish(message('/topic/x', 'm2'));
    expect(e!.bodies()).toEqual(['m2']);
  });

  it('queue, auto: a consumer that removes itself while receiving does not lose the message', () => {
    const { broker, clients: [a, b] } = setup(2);
    broker.subscribe(a!, 'q', '/queue/w', 'auto', {});
    broker.subscribe(b!, 'q', '/queue/w', 'auto', {});
    a!.onDeliver = () => broker.removeClient(a!); // e.g. its session closed: send buffer full
    for (const m of ['1', '2', '3', '4']) broker.publish(message('/queue/w', m));
    expect(a!.bodies()).toEqual(['1']);
    expect(b!.bodies()).toEqual(['1', '2', '3', '4']);
    expect(b!.deliveries[0]!.redelivered).toBe(true);
    expect([broker.queueDepth('/queue/w'), broker.unackedCount('/queue/w')]).toEqual([0, 0]);
  });

  it('queue, client ack: removeClient mid drain returns its deliveries in order; each message ends up acked once', () => {
    const { broker, clients: [a, b] } = setup(2);
    for (let i = 0; i < 10; i++) broker.publish(message('/queue/w', `n${i}`));
    broker.subscribe(b!, 'q', '/queue/w', 'client-individual', { 'prefetch-count': '2' }); // takes n0, n1
    a!.onDeliver = () => {
      if (a!.deliveries.length === 3) broker.removeClient(a!);
    };
    broker.subscribe(a!, 'q', '/queue/w', 'client-individual', {}); // n2, n3, n4 then leaves
    expect(a!.bodies()).toEqual(['n2', 'n3', 'n4']);
    expect(broker.queueDepth('/queue/w')).toBe(8);
    for (let i = 0; i < b!.deliveries.length; i++) broker.ack(b!, b!.deliveries[i]!.messageId);
    expect(b!.bodies()).toEqual(['n0', 'n1', 'n2', 'n3', 'n4', 'n5', 'n6', 'n7', 'n8', 'n9']);
    expect(b!.deliveries.map((d) => d.redelivered)).toEqual([false, false, true, true, true, false, false, false, false, false]);
    expect([broker.queueDepth('/queue/w'), broker.unackedCount('/queue/w'), broker.pendingCount(b!)]).toEqual([0, 0, 0]);
  });

  it('queue: unsubscribing another consumer mid drain', () => {
    const { broker, clients: [a, b, c] } = setup(3);
    for (let i = 0; i < 6; i++) broker.publish(message('/queue/w', `n${i}`));
    broker.subscribe(b!, 'q', '/queue/w', 'client', { 'prefetch-count': '1' }); // n0
    broker.subscribe(c!, 'q', '/queue/w', 'client', { 'prefetch-count': '1' }); // n1
    a!.onDeliver = () => {
      if (a!.deliveries.length === 1) broker.unsubscribe(c!, 'q'); // c's unacked n1 comes back
    };
    broker.subscribe(a!, 'q', '/queue/w', 'auto', {});
    expect(b!.bodies()).toEqual(['n0']);
    expect(c!.bodies()).toEqual(['n1']);
    expect(a!.bodies()).toEqual(['n2', 'n1', 'n3', 'n4', 'n5']); // n1 first in line once returned
    expect(a!.deliveries.map((d) => d.redelivered)).toEqual([false, true, false, false, false]);
    expect([broker.queueDepth('/queue/w'), broker.unackedCount('/queue/w')]).toEqual([0, 1]);
  });

  it('queue: an ACK from inside deliver() keeps order and does not recurse per message', () => {
    const { broker, clients: [a] } = setup(1);
    for (let i = 0; i < 5000; i++) broker.publish(message('/queue/deep', `${i}`));
    ackOnArrival(broker, a!);
    broker.subscribe(a!, 'q', '/queue/deep', 'client-individual', { 'prefetch-count': '1' });
    expect(a!.deliveries).toHaveLength(5000);
    expect(a!.bodies().every((body, i) => body === `${i}`)).toBe(true);
    expect(broker.pendingCount(a!)).toBe(0);
    expect(broker.queueCount).toBe(1); // the consumer is still there
  });

  it('queue: a NACK from inside deliver() sends the message to the next consumer', () => {
    const { broker, clients: [a, b] } = setup(2);
    broker.subscribe(a!, 'q', '/queue/n', 'client-individual', {});
    broker.subscribe(b!, 'q', '/queue/n', 'client-individual', {});
    a!.onDeliver = (d) => broker.nack(a!, d.messageId);
    broker.publish(message('/queue/n', 'm'));
    expect(a!.bodies()).toEqual(['m']);
    expect(b!.bodies()).toEqual(['m']);
    expect(b!.last().redelivered).toBe(true);
  });

  it('a cascade of consumers leaving while receiving returned messages loses nothing', () => {
    const { broker, clients: [a, b, c] } = setup(3);
    for (const client of [a!, b!, c!]) broker.subscribe(client, 'q', '/queue/x', 'client', {});
    for (let i = 0; i < 6; i++) broker.publish(message('/queue/x', `m${i}`)); // a: m0 m3, b: m1 m4, c: m2 m5
    b!.onDeliver = () => broker.removeClient(b!); // b leaves on its next delivery
    broker.removeClient(a!); // m0, m3 go back: m0 → b (leaves: m0, m1, m4 back), ...
    expect(c!.bodies().sort()).toEqual(['m0', 'm1', 'm2', 'm3', 'm4', 'm5']);
    expect([broker.queueDepth('/queue/x'), broker.unackedCount('/queue/x')]).toEqual([0, 6]);
  });
});

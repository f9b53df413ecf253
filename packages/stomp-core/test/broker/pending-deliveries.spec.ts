import { BrokerDelivery, PendingDeliveries, type BrokerSubscription } from '../../src/broker/broker-subscription.js';
import type { BrokerMessage } from '../../src/broker/message-broker.js';

// The per-subscription list of unacknowledged deliveries (threaded through the deliveries).

const subscription = {} as BrokerSubscription;
const message: BrokerMessage = { destination: '/queue/a', headers: {}, body: Buffer.alloc(0) };
const delivery = (id: string) => new BrokerDelivery(subscription, message, id, false);
const ids = (list: PendingDeliveries) => list.toArray().map((d) => d.messageId);

function listOf(count: number): { list: PendingDeliveries; all: BrokerDelivery[] } {
  const list = new PendingDeliveries();
  const all = Array.from({ length: count }, (_, i) => delivery(String(i + 1)));
  for (const d of all) list.push(d);
  return { list, all };
}

describe('PendingDeliveries', () => {
  it('keeps delivery order and its size', () => {
    const { list } = listOf(4);
    expect(ids(list)).toEqual(['1', '2', '3', '4']);
    expect(list.size).toBe(4);
  });

  it('removes the first, a middle and the last delivery, and can be refilled', () => {
    const { list, all } = listOf(5);
    list.remove(all[2]!);
    expect(ids(list)).toEqual(['1', '2', '4', '5']);
    list.remove(all[0]!);
    list.remove(all[4]!);
    expect(ids(list)).toEqual(['2', '4']);
    expect([list.first?.messageId, list.last?.messageId]).toEqual(['2', '4']);
    list.remove(all[1]!);
    list.remove(all[3]!);
    expect(list.size).toBe(0);
    expect([list.first, list.last]).toEqual([undefined, undefined]);
    list.push(all[2]!);
    expect(ids(list)).toEqual(['3']);
  });

  it('leaves the list alone when asked to remove a delivery it does not hold (twice, or never added)', () => {
    const { list, all } = listOf(3);
    list.remove(all[1]!);
    list.remove(all[1]!);
    list.remove(delivery('x'));
    const other = listOf(2);
    list.remove(other.all[0]!);
    expect(ids(list)).toEqual(['1', '3']);
    expect(list.size).toBe(2);
    expect(ids(other.list)).toEqual(['1', '2']);
  });

  it('upTo: the first deliveries through the given one (cumulative client acks)', () => {
    const { list, all } = listOf(4);
    expect(list.upTo(all[2]!).map((d) => d.messageId)).toEqual(['1', '2', '3']);
    expect(list.upTo(all[0]!).map((d) => d.messageId)).toEqual(['1']);
    expect(ids(list)).toEqual(['1', '2', '3', '4']); // a copy: the list is unchanged
  });

  it('clear: empty, and every delivery unlinked (a cleared delivery can join another list)', () => {
    const { list, all } = listOf(3);
    list.clear();
    expect(list.size).toBe(0);
    expect(ids(list)).toEqual([]);
    for (const d of all) expect([d.prev, d.next]).toEqual([undefined, undefined]);
    const again = new PendingDeliveries();
    again.push(all[1]!);
    expect(ids(again)).toEqual(['2']);
  });
});

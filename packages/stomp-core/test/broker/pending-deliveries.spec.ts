import { BrokerDelivery, PendingBySequence, PendingDeliveries, parseSequence, type BrokerSubscription } from '../../src/broker/broker-subscription.js';
import type { BrokerMessage } from '../../src/broker/message-broker.js';

// The per-subscription list of unacknowledged deliveries (threaded through the deliveries).

const subscription = {} as BrokerSubscription;
const message: BrokerMessage = { destination: '/queue/a', headers: {}, body: Buffer.alloc(0) };
const delivery = (sequence: number) => new BrokerDelivery(subscription, message, sequence, false);
const ids = (list: PendingDeliveries) => list.toArray().map((d) => d.messageId);

function listOf(count: number): { list: PendingDeliveries; all: BrokerDelivery[] } {
  const list = new PendingDeliveries();
  const all = Array.from({ length: count }, (_, i) => delivery(i + 1));
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
    list.remove(delivery(99));
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

// A client's unacknowledged deliveries by sequence (the ring behind ACK/NACK lookups).
describe('PendingBySequence', () => {
  it('finds what it holds by sequence, nothing else, and forgets on delete', () => {
    const pending = new PendingBySequence();
    const all = Array.from({ length: 10 }, (_, i) => delivery(i + 1));
    for (const d of all) pending.add(d);
    expect(pending.size).toBe(10);
    expect(pending.get(4)).toBe(all[3]);
    expect(pending.get(11)).toBeUndefined();
    expect(pending.get(4 + 64)).toBeUndefined(); // same slot, other sequence
    pending.delete(all[3]!);
    pending.delete(all[3]!); // twice: no effect
    pending.delete(delivery(5)); // another delivery with a held sequence: not the one held
    expect(pending.get(4)).toBeUndefined();
    expect(pending.get(5)).toBe(all[4]);
    expect(pending.size).toBe(9);
  });

  it('keeps many pending deliveries (it grows) and a long-unacknowledged one among many later ones', () => {
    const pending = new PendingBySequence();
    const old = delivery(1);
    pending.add(old);
    const later: BrokerDelivery[] = [];
    // 100,000 later deliveries, at most 10 pending at once: the ring stays small, the old one moves aside.
    for (let sequence = 2; sequence <= 100_001; sequence++) {
      const d = delivery(sequence);
      pending.add(d);
      later.push(d);
      if (later.length > 10) pending.delete(later.shift()!);
    }
    expect(pending.get(1)).toBe(old);
    expect(pending.size).toBe(11);
    for (const d of later) expect(pending.get(d.sequence)).toBe(d);
    pending.delete(old);
    expect(pending.get(1)).toBeUndefined();
    expect(pending.size).toBe(10);

    const many = new PendingBySequence();
    const all = Array.from({ length: 5000 }, (_, i) => delivery(i + 1));
    for (const d of all) many.add(d);
    for (const d of all) expect(many.get(d.sequence)).toBe(d);
    for (const d of all.filter((d) => d.sequence % 2 === 0)) many.delete(d);
    expect(many.size).toBe(2500);
    expect(many.get(2)).toBeUndefined();
    expect(many.get(4999)).toBe(all[4998]);
    many.clear();
    expect([many.size, many.get(1)]).toEqual([0, undefined]);
  });

  it('parses only canonical decimal ids: a string that no broker-made id equals names nothing', () => {
    expect(['1', '42', '123456789012345'].map(parseSequence)).toEqual([1, 42, 123456789012345]);
    expect(['', '0', '007', '-1', '+1', '1.0', '1e3', ' 1', 'x', '1234567890123456'].map(parseSequence)).toEqual(Array(10).fill(-1));
  });
});

import fc from 'fast-check';
import type { AckMode, Delivery } from '../../src/broker/message-broker.js';
import { StompErrorCode } from '../../src/errors/error-codes.js';
import { StompError } from '../../src/errors/stomp.error.js';
import { FakeClient, message, setup } from './fake-client.js';

/**
 * Random sequences of queue operations against a simple model. Invariants after every step:
 * every published message is exactly one of consumed (auto-delivered or acked), waiting, or
 * unacknowledged; pending counts agree with the model; a message's first delivery is not flagged
 * redelivered and every later one is. At the end, a fresh consumer drains the queue and every
 * message has been consumed exactly once.
 */
type Command =
  | { op: 'publish'; count: number }
  | { op: 'subscribe'; client: number; ack: AckMode; prefetch: number }
  | { op: 'unsubscribe'; client: number }
  | { op: 'ack' | 'nack'; client: number; pick: number }
  | { op: 'reconnect'; client: number };

const CLIENTS = 3;
const QUEUE = '/queue/model';
const client = fc.integer({ min: 0, max: CLIENTS - 1 });
const command: fc.Arbitrary<Command> = fc.oneof(
  fc.record({ op: fc.constant('publish' as const), count: fc.integer({ min: 1, max: 4 }) }),
  fc.record({
    op: fc.constant('subscribe' as const),
    client,
    ack: fc.constantFrom<AckMode>('auto', 'client', 'client-individual'),
    prefetch: fc.integer({ min: 0, max: 3 }),
  }),
  fc.record({ op: fc.constant('unsubscribe' as const), client }),
  fc.record({ op: fc.constantFrom('ack' as const, 'nack' as const), client, pick: fc.nat() }),
  fc.record({ op: fc.constant('reconnect' as const), client }),
);

function run(commands: Command[]): void {
  const { broker, clients } = setup(CLIENTS, { maxQueuedMessages: 8 });
  const consumed: string[] = [];
  const published: string[] = [];
  const seen = new Set<string>();
  const unsettled: Delivery[][] = clients.map(() => []);
  const mode: (AckMode | undefined)[] = clients.map(() => undefined);

  clients.forEach((c: FakeClient, i) => {
    c.onDeliver = (d) => {
      const body = d.message.body.toString();
      expect(d.redelivered).toBe(seen.has(body));
      seen.add(body);
      if (d.subscription.ack === 'auto') consumed.push(body);
      else unsettled[i]!.push(d);
    };
  });

  const check = () => {
    const pending = unsettled.reduce((n, list) => n + list.length, 0);
    expect(published.length).toBe(consumed.length + broker.queueDepth(QUEUE) + broker.unackedCount(QUEUE));
    expect(broker.unackedCount(QUEUE)).toBe(pending);
    clients.forEach((c, i) => expect(broker.pendingCount(c)).toBe(unsettled[i]!.length));
  };

  for (const cmd of commands) {
    if (cmd.op === 'publish') {
      for (let k = 0; k < cmd.count; k++) {
        const body = `m${published.length}`;
        try {
          broker.publish(message(QUEUE, body));
          published.push(body);
        } catch (error) {
          expect((error as StompError).code).toBe(StompErrorCode.QUEUE_FULL);
          expect(broker.queueDepth(QUEUE) + broker.unackedCount(QUEUE)).toBe(8);
        }
      }
    } else if (cmd.op === 'subscribe') {
      if (mode[cmd.client] !== undefined) continue;
      mode[cmd.client] = cmd.ack;
      broker.subscribe(clients[cmd.client]!, 'q', QUEUE, cmd.ack, cmd.prefetch ? { 'prefetch-count': String(cmd.prefetch) } : {});
    } else if (cmd.op === 'unsubscribe' || cmd.op === 'reconnect') {
      if (cmd.op === 'unsubscribe' && mode[cmd.client] === undefined) continue;
      unsettled[cmd.client] = []; // returned to the queue: queueDepth counts them from now on
      mode[cmd.client] = undefined;
      if (cmd.op === 'unsubscribe') broker.unsubscribe(clients[cmd.client]!, 'q');
      else {
        broker.removeClient(clients[cmd.client]!);
        broker.addClient(clients[cmd.client]!);
      }
    } else {
      const list = unsettled[cmd.client]!;
      if (list.length === 0) continue;
      const index = cmd.pick % list.length;
      const target = list[index]!;
      const settled = target.subscription.ack === 'client' ? list.splice(0, index + 1) : list.splice(index, 1);
      if (cmd.op === 'ack') {
        broker.ack(clients[cmd.client]!, target.messageId);
        consumed.push(...settled.map((d) => d.message.body.toString()));
      } else {
        broker.nack(clients[cmd.client]!, target.messageId);
      }
    }
    check();
  }

  // Everyone leaves; a fresh auto consumer takes what is left: each message consumed exactly once.
  clients.forEach((c) => broker.removeClient(c));
  const last = new FakeClient('last');
  broker.addClient(last);
  broker.subscribe(last, 'q', QUEUE, 'auto', {});
  consumed.push(...last.bodies());
  expect([...consumed].sort()).toEqual([...published].sort());
  expect(broker.queueDepth(QUEUE)).toBe(0);
}

describe('SimpleBroker: queue model', () => {
  it('never loses or duplicates a message under random operations', () => {
    fc.assert(fc.property(fc.array(command, { maxLength: 60 }), (commands) => run(commands)), { numRuns: 400 });
  });
});

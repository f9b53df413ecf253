import type { BrokerClient, BrokerMessage, Delivery } from '../../src/broker/message-broker.js';
import { SimpleBroker } from '../../src/broker/simple-broker.js';
import type { SimpleBrokerOptions } from '../../src/broker/simple-broker-options.js';

/** A BrokerClient that records what it receives; `onDeliver` lets a test re-enter the broker. */
export class FakeClient implements BrokerClient {
  readonly deliveries: Delivery[] = [];
  onDeliver: ((delivery: Delivery) => void) | undefined;

  constructor(readonly id: string) {}

  deliver(delivery: Delivery): void {
    this.deliveries.push(delivery);
    this.onDeliver?.(delivery);
  }

  /** Bodies received, as strings, in order. */
  bodies(subscriptionId?: string): string[] {
    return this.deliveries.filter((d) => subscriptionId === undefined || d.subscription.id === subscriptionId).map((d) => d.message.body.toString());
  }

  last(): Delivery {
    const delivery = this.deliveries[this.deliveries.length - 1];
    if (delivery === undefined) throw new Error(`${this.id} received nothing`);
    return delivery;
  }

  /** The delivery of the message with this body (the last one when redelivered). */
  find(body: string): Delivery {
    const found = this.deliveries.filter((d) => d.message.body.toString() === body).pop();
    if (found === undefined) throw new Error(`${this.id} never received '${body}'`);
    return found;
  }
}

export function message(destination: string, body: string, headers: Record<string, string> = {}): BrokerMessage {
  return { destination, headers, body: Buffer.from(body) };
}

/** A broker with attached fake clients. */
export function setup(count: number, options: Partial<SimpleBrokerOptions> = {}): { broker: SimpleBroker; clients: FakeClient[] } {
  const broker = new SimpleBroker(options);
  const clients = Array.from({ length: count }, (_, i) => new FakeClient(`c${i}`));
  for (const client of clients) broker.addClient(client);
  return { broker, clients };
}

export const code = (c: string) => expect.objectContaining({ code: c });

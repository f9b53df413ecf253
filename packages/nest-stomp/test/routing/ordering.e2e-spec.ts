import 'reflect-metadata';
import { Controller, Injectable } from '@nestjs/common';
import { MessageMapping, Payload } from '../../src/index.js';
import { bootRoutingApp, sendWithReceipt, type RoutingApp } from './routing-test-app.js';

@Injectable()
class Journal {
  readonly entries: string[] = [];
}

@Controller()
class OrderedController {
  constructor(private readonly journal: Journal) {}

  @MessageMapping('/slow')
  async slow(@Payload() label: string) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    this.journal.entries.push(`slow:${label}`);
    return `slow:${label}`;
  }

  @MessageMapping('/fast')
  fast(@Payload() label: string) {
    this.journal.entries.push(`fast:${label}`);
    return `fast:${label}`;
  }
}

describe('ordering and receipts of application frames', () => {
  let t: RoutingApp;
  let journal: Journal;
  beforeAll(async () => {
    t = await bootRoutingApp({ controllers: [OrderedController], providers: [Journal] });
    journal = t.app.get(Journal);
  });
  afterAll(() => t.close());

  it('the RECEIPT of a SEND to an async handler comes after the handler finished and its result was sent', async () => {
    const c = await t.connect();
    const slow = await c.subscribe('/topic/slow');
    const results: string[] = [];
    const collecting = slow.next().then((m) => results.push(m.body));
    await sendWithReceipt(c.client, '/app/slow', '"receipt"', { 'content-type': 'application/json' });
    expect(journal.entries).toContain('slow:receipt');
    await collecting;
    expect(results).toEqual(['slow:receipt']);
  });

  it('a slow handler for SEND 1 does not let SEND 2 of the same session overtake it', async () => {
    const c = await t.connect();
    const slow = await c.subscribe('/topic/slow');
    const fast = await c.subscribe('/topic/fast');
    journal.entries.length = 0;
    c.client.publish({ destination: '/app/slow', body: '"1"' });
    await sendWithReceipt(c.client, '/app/fast', '"2"');
    expect(journal.entries).toEqual(['slow:1', 'fast:2']);
    expect((await slow.next()).body).toBe('slow:1');
    expect((await fast.next()).body).toBe('fast:2');
  });

  it('a SEND to an application destination in a transaction runs at COMMIT, not before', async () => {
    const c = await t.connect();
    const fast = await c.subscribe('/topic/fast');
    journal.entries.length = 0;
    const tx = c.client.begin('tx-1');
    c.client.publish({ destination: '/app/fast', body: '"in-tx"', headers: { transaction: tx.id } });
    await sendWithReceipt(c.client, '/topic/unrelated', 'x');
    expect(journal.entries).toEqual([]);
    tx.commit();
    // stompjs' commit() takes no receipt header; the session's frames take effect in order, so
    // the receipt of the next frame means COMMIT (and the handler it ran) is done.
    await sendWithReceipt(c.client, '/topic/unrelated', 'y');
    expect(journal.entries).toEqual(['fast:in-tx']);
    expect((await fast.next()).body).toBe('fast:in-tx');
  });

  it('sessions do not wait for each other', async () => {
    const a = await t.connect();
    const b = await t.connect();
    journal.entries.length = 0;
    a.client.publish({ destination: '/app/slow', body: '"a"' });
    await sendWithReceipt(b.client, '/app/fast', '"b"');
    expect(journal.entries).toEqual(['fast:b']);
  });
});

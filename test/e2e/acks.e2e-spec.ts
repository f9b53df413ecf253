// Acknowledgement: auto, client (cumulative), client-individual, NACK, ACK headers per version,
// redelivery of what a closed session left un-acked.
import type { IMessage } from '@stomp/stompjs';
import { useCleanup } from '../support/cleanup.js';
import { RawClient, TRANSPORTS, type Transport } from '../support/raw-client.js';
import { connectClient, type TestClient } from '../support/stomp-client.js';
import { startServer, type TestServer } from '../support/test-server.js';

useCleanup();

let ts: TestServer;
beforeEach(async () => {
  ts = await startServer();
});

async function produce(destination: string, bodies: string[], transport: Transport = 'tcp'): Promise<void> {
  const producer = await connectClient(ts, transport);
  for (const body of bodies) await producer.publish(destination, body);
  await producer.disconnect();
}

/** A second consumer subscribes and reports what the queue still had. */
async function drain(destination: string, transport: Transport = 'ws'): Promise<IMessage[]> {
  const late = await connectClient(ts, transport);
  const inbox = await late.subscribe(destination);
  await late.sync();
  return inbox.messages.all;
}

async function ack(client: TestClient, message: IMessage, command: 'ack' | 'nack' = 'ack'): Promise<void> {
  const [id, done] = client.receipt();
  message[command]({ receipt: id });
  await done;
}

describe.each(TRANSPORTS)('ack modes over %s', (transport) => {
  it('auto: consumed when sent, no ack header, nothing redelivered after disconnect', async () => {
    const a = await connectClient(ts, transport);
    const inbox = await a.subscribe('/queue/auto', { ack: 'auto' });
    await produce('/queue/auto', ['m1', 'm2']);
    const got = await inbox.take(2);
    expect(got.map((m) => m.headers.ack)).toEqual([undefined, undefined]);
    await a.disconnect();
    expect(await drain('/queue/auto')).toHaveLength(0);
  });

  it('client without ACK: all messages come back, marked redelivered', async () => {
    const a = await connectClient(ts, transport);
    const inbox = await a.subscribe('/queue/client-none', { ack: 'client' });
    await produce('/queue/client-none', ['m1', 'm2', 'm3']);
    const got = await inbox.take(3);
    expect(got.every((m) => typeof m.headers.ack === 'string')).toBe(true);
    await a.disconnect();
    const again = await drain('/queue/client-none');
    expect(again.map((m) => m.body)).toEqual(['m1', 'm2', 'm3']);
    expect(again.every((m) => m.headers.redelivered === 'true')).toBe(true);
  });

  it('client is cumulative: ACK of the 3rd acks 1-2 too; nothing redelivered', async () => {
    const a = await connectClient(ts, transport);
    const inbox = await a.subscribe('/queue/cumulative', { ack: 'client' });
    await produce('/queue/cumulative', ['m1', 'm2', 'm3']);
    const got = await inbox.take(3);
    await ack(a, got[2]!);
    await a.disconnect();
    expect(await drain('/queue/cumulative')).toHaveLength(0);
  });

  it('client: ACK of the 2nd acks the 1st, the 3rd comes back', async () => {
    const a = await connectClient(ts, transport);
    const inbox = await a.subscribe('/queue/cumulative-2', { ack: 'client' });
    await produce('/queue/cumulative-2', ['m1', 'm2', 'm3']);
    const got = await inbox.take(3);
    await ack(a, got[1]!);
    await a.disconnect();
    expect((await drain('/queue/cumulative-2')).map((m) => m.body)).toEqual(['m3']);
  });

  it('client-individual: ACK one, the others are redelivered after disconnect', async () => {
    const a = await connectClient(ts, transport);
    const inbox = await a.subscribe('/queue/individual', { ack: 'client-individual' });
    await produce('/queue/individual', ['m1', 'm2', 'm3']);
    const got = await inbox.take(3);
    await ack(a, got[1]!);
    await a.disconnect();
    const again = await drain('/queue/individual');
    expect(again.map((m) => m.body)).toEqual(['m1', 'm3']);
    expect(again.every((m) => m.headers.redelivered === 'true')).toBe(true);
  });

  it('NACK: the message is redelivered to the same consumer with redelivered:true', async () => {
    const a = await connectClient(ts, transport);
    const inbox = await a.subscribe('/queue/nack', { ack: 'client-individual' });
    await produce('/queue/nack', ['poison']);
    const first = await inbox.next();
    expect(first.headers.redelivered).toBeUndefined();
    first.nack();
    const second = await inbox.next();
    expect(second.body).toBe('poison');
    expect(second.headers.redelivered).toBe('true');
    await ack(a, second);
    await a.disconnect();
    expect(await drain('/queue/nack')).toHaveLength(0);
  });

  it('NACK with two consumers: delivered again (to either), exactly once more', async () => {
    const a = await connectClient(ts, transport);
    const b = await connectClient(ts, transport === 'ws' ? 'tcp' : 'ws');
    const inboxes = [await a.subscribe('/queue/nack2', { ack: 'client-individual' })];
    inboxes.push(await b.subscribe('/queue/nack2', { ack: 'client-individual' }));
    await produce('/queue/nack2', ['job']);
    await Promise.all([a.sync(), b.sync()]);
    const holder = inboxes[0]!.messages.all.length === 1 ? 0 : 1;
    const clients = [a, b];
    const first = inboxes[holder]!.messages.all[0]!;
    expect(first.body).toBe('job');
    await ack(clients[holder]!, first, 'nack');
    await Promise.all([a.sync(), b.sync()]);
    const all = [...inboxes[0]!.messages.all, ...inboxes[1]!.messages.all];
    expect(all).toHaveLength(2);
    const redelivery = all.find((m) => m !== first)!;
    expect(redelivery.body).toBe('job');
    expect(redelivery.headers.redelivered).toBe('true');
  });

  it('NACK in client mode returns every un-acked message so far', async () => {
    const a = await connectClient(ts, transport);
    const inbox = await a.subscribe('/queue/nack-client', { ack: 'client' });
    await produce('/queue/nack-client', ['m1', 'm2']);
    const got = await inbox.take(2);
    await ack(a, got[1]!, 'nack');
    const again = await inbox.take(2);
    expect(again.map((m) => m.body)).toEqual(['m1', 'm2']);
    expect(again.every((m) => m.headers.redelivered === 'true')).toBe(true);
  });

  it('un-acked messages of an abruptly closed session go to another consumer', async () => {
    const a = await RawClient.open(ts, transport);
    const connected = await a.connect();
    a.send('SUBSCRIBE', { id: 's', destination: '/queue/abrupt', ack: 'client-individual', receipt: 'sub' });
    await a.receipt('sub');
    await produce('/queue/abrupt', ['precious']);
    const held = await a.waitFor((f) => f.command === 'MESSAGE');
    expect(held.body.toString()).toBe('precious');
    const b = await connectClient(ts, 'ws');
    const inbox = await b.subscribe('/queue/abrupt', { ack: 'client-individual' });
    await b.sync();
    expect(inbox.messages.all).toHaveLength(0);
    a.destroy();
    await ts.sessionClosed(connected.headers.session!);
    const redelivered = await inbox.next();
    expect(redelivered.body).toBe('precious');
    expect(redelivered.headers.redelivered).toBe('true');
  });

  it("an ACK naming another session's message is refused (ERROR), the owner's stays pending", async () => {
    const owner = await RawClient.open(ts, transport);
    await owner.connect();
    owner.send('SUBSCRIBE', { id: 's', destination: '/queue/not-yours', ack: 'client-individual', receipt: 'sub' });
    await owner.receipt('sub');
    await produce('/queue/not-yours', ['mine']);
    const message = await owner.waitFor((f) => f.command === 'MESSAGE');
    const thief = await RawClient.open(ts, transport);
    await thief.connect();
    thief.send('ACK', { id: message.headers.ack!, receipt: 'steal' });
    const error = await thief.expectErrorThenClose();
    expect(error.headers['receipt-id']).toBe('steal');
    owner.send('ACK', { id: message.headers.ack!, receipt: 'acked' });
    await owner.receipt('acked');
  });

  it('UNSUBSCRIBE gives un-acked messages back to the queue', async () => {
    const a = await connectClient(ts, transport);
    const inbox = await a.subscribe('/queue/unsub-back', { ack: 'client-individual' });
    await produce('/queue/unsub-back', ['m1']);
    await inbox.next();
    await a.unsubscribe(inbox);
    expect((await drain('/queue/unsub-back')).map((m) => m.body)).toEqual(['m1']);
  });
});

describe.each(TRANSPORTS)('ACK headers per version over %s', (transport) => {
  const cases: Array<[string, string, (message: Record<string, string>) => Record<string, string>]> = [
    ['1.2', 'client-individual', (m) => ({ id: m.ack! })],
    ['1.1', 'client-individual', (m) => ({ 'message-id': m['message-id']!, subscription: m.subscription! })],
    ['1.0', 'client', (m) => ({ 'message-id': m['message-id']! })],
  ];
  it.each(cases)('STOMP %s ACK takes effect', async (version, mode, ackHeaders) => {
    const destination = `/queue/ack-${version}`;
    const raw = await RawClient.open(ts, transport);
    await raw.connect({ 'accept-version': version });
    raw.send('SUBSCRIBE', { id: 'sub-1', destination, ack: mode, receipt: 'sub' });
    await raw.receipt('sub');
    await produce(destination, ['first', 'second']);
    const first = await raw.waitFor((f) => f.command === 'MESSAGE');
    const second = await raw.waitFor((f) => f.command === 'MESSAGE');
    expect(first.headers.subscription).toBe('sub-1');
    // STOMP 1.2: a MESSAGE of a client/client-individual subscription carries `ack`.
    if (version === '1.2') expect(first.headers.ack).toEqual(expect.any(String));
    raw.send('ACK', { ...ackHeaders(first.headers), receipt: 'acked' });
    await raw.receipt('acked');
    raw.send('DISCONNECT', { receipt: 'bye' });
    await raw.receipt('bye');
    await raw.waitClosed();
    expect((await drain(destination)).map((m) => m.body)).toEqual([second.body.toString()]);
  });
});

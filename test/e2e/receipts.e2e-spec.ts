// Receipts: every client frame that asks gets a RECEIPT after its effect; DISCONNECT's receipt then close;
// UNSUBSCRIBE stops delivery at once.
import { useCleanup } from '../support/cleanup.js';
import { RawClient, TRANSPORTS } from '../support/raw-client.js';
import { connectClient } from '../support/stomp-client.js';
import { startServer, type TestServer } from '../support/test-server.js';
import { deferred, withTimeout } from '../support/wait.js';

useCleanup();

let ts: TestServer;
beforeEach(async () => {
  ts = await startServer();
});

describe.each(TRANSPORTS)('receipts over %s', (transport) => {
  it('SEND, SUBSCRIBE, UNSUBSCRIBE, ACK, NACK, BEGIN, COMMIT, ABORT each get their RECEIPT, in order', async () => {
    const raw = await RawClient.open(ts, transport);
    await raw.connect();
    raw.send('SUBSCRIBE', { id: 's1', destination: '/queue/receipts', ack: 'client-individual', receipt: 'subscribe' });
    raw.send('SEND', { destination: '/queue/receipts', receipt: 'send-1' }, 'one');
    raw.send('SEND', { destination: '/queue/receipts', receipt: 'send-2' }, 'two');
    raw.send('BEGIN', { transaction: 't', receipt: 'begin' });
    raw.send('COMMIT', { transaction: 't', receipt: 'commit' });
    raw.send('BEGIN', { transaction: 't2', receipt: 'begin-2' });
    raw.send('ABORT', { transaction: 't2', receipt: 'abort' });
    const m1 = await raw.waitFor((f) => f.command === 'MESSAGE' && f.body.toString() === 'one');
    const m2 = await raw.waitFor((f) => f.command === 'MESSAGE' && f.body.toString() === 'two');
    raw.send('ACK', { id: m1.headers.ack!, receipt: 'ack' });
    raw.send('NACK', { id: m2.headers.ack!, receipt: 'nack' });
    await raw.waitFor((f) => f.command === 'MESSAGE' && f.headers.redelivered === 'true');
    raw.send('UNSUBSCRIBE', { id: 's1', receipt: 'unsubscribe' });
    await raw.receipt('unsubscribe');
    const receipts = raw.frames.all.filter((f) => f.command === 'RECEIPT').map((f) => f.headers['receipt-id']);
    expect(receipts).toEqual(['subscribe', 'send-1', 'send-2', 'begin', 'commit', 'begin-2', 'abort', 'ack', 'nack', 'unsubscribe']);
  });

  it('the SUBSCRIBE receipt comes after the subscription took effect', async () => {
    const consumer = await RawClient.open(ts, transport);
    await consumer.connect();
    const producer = await connectClient(ts, transport === 'ws' ? 'tcp' : 'ws');
    consumer.send('SUBSCRIBE', { id: 's', destination: '/topic/after-receipt', receipt: 'sub' });
    await consumer.receipt('sub');
    // Another connection publishes right after the receipt: a topic only delivers to present subscribers.
    await producer.publish('/topic/after-receipt', 'just-in-time');
    const message = await consumer.waitFor((f) => f.command === 'MESSAGE');
    expect(message.body.toString()).toBe('just-in-time');
  });

  it('the RECEIPT of a SEND follows the MESSAGE it produced for the sender itself', async () => {
    const raw = await RawClient.open(ts, transport);
    await raw.connect();
    raw.send('SUBSCRIBE', { id: 'self', destination: '/topic/self' });
    raw.send('SEND', { destination: '/topic/self', receipt: 'sent' }, 'echo');
    await raw.receipt('sent');
    expect(raw.frames.all.map((f) => f.command)).toEqual(['CONNECTED', 'MESSAGE', 'RECEIPT']);
  });

  it('the RECEIPT of a SUBSCRIBE follows the messages the queue held for it', async () => {
    const producer = await connectClient(ts, 'tcp');
    await producer.publish('/queue/held-receipt', 'held');
    const raw = await RawClient.open(ts, transport);
    await raw.connect();
    raw.send('SUBSCRIBE', { id: 'q', destination: '/queue/held-receipt', receipt: 'sub' });
    await raw.receipt('sub');
    expect(raw.frames.all.map((f) => f.command)).toEqual(['CONNECTED', 'MESSAGE', 'RECEIPT']);
  });

  it('with an async application handler, the RECEIPT waits for it and later frames keep their order', async () => {
    const gate = deferred<void>();
    const called = deferred<void>();
    const order: string[] = [];
    ts.server.application = {
      handles: (destination) => destination.startsWith('/app/'),
      send: async (_session, frame) => {
        order.push(`app:${frame.body.toString()}`);
        called.resolve();
        await gate.promise;
        order.push('app:done');
      },
      subscribe: () => undefined,
    };
    const raw = await RawClient.open(ts, transport);
    await raw.connect();
    raw.send('SUBSCRIBE', { id: 't', destination: '/topic/after-app' });
    raw.send('SEND', { destination: '/app/slow', receipt: 'app' }, 'work');
    raw.send('SEND', { destination: '/topic/after-app', receipt: 'later' }, 'later');
    await withTimeout(called.promise, 3_000, 'the application handler');
    // Another connection's round trip: anything the server had written to `raw` has arrived.
    const other = await connectClient(ts, 'ws');
    await other.sync();
    expect(raw.frames.all.map((f) => f.command)).toEqual(['CONNECTED']);
    gate.resolve();
    await raw.receipt('later');
    expect(order).toEqual(['app:work', 'app:done']);
    expect(raw.frames.all.map((f) => `${f.command}:${f.headers['receipt-id'] ?? f.body.toString()}`)).toEqual([
      'CONNECTED:',
      'RECEIPT:app',
      'MESSAGE:later',
      'RECEIPT:later',
    ]);
  });

  it('the SEND receipt comes after the message was routed (a queue already holds it)', async () => {
    const producer = await RawClient.open(ts, transport);
    await producer.connect();
    producer.send('SEND', { destination: '/queue/routed', receipt: 'sent' }, 'routed');
    await producer.receipt('sent');
    producer.destroy();
    const consumer = await connectClient(ts, 'ws');
    const inbox = await consumer.subscribe('/queue/routed');
    expect((await inbox.next()).body).toBe('routed');
  });

  it('UNSUBSCRIBE stops delivery at once (stompjs)', async () => {
    const consumer = await connectClient(ts, transport);
    const inbox = await consumer.subscribe('/topic/unsub');
    const producer = await connectClient(ts, transport);
    await producer.publish('/topic/unsub', 'before');
    expect((await inbox.next()).body).toBe('before');
    await consumer.unsubscribe(inbox);
    await producer.publish('/topic/unsub', 'after');
    await consumer.sync();
    expect(inbox.bodies).toEqual(['before']);
    // stompjs hands MESSAGEs of a forgotten subscription to onUnhandledMessage: none may come.
    expect(consumer.unhandled).toEqual([]);
  });

  it('UNSUBSCRIBE stops delivery at once (raw frames, topic and queue)', async () => {
    const consumer = await RawClient.open(ts, transport);
    await consumer.connect();
    consumer.send('SUBSCRIBE', { id: 't', destination: '/topic/unsub-raw' });
    consumer.send('SUBSCRIBE', { id: 'q', destination: '/queue/unsub-raw' });
    consumer.send('UNSUBSCRIBE', { id: 't' });
    consumer.send('UNSUBSCRIBE', { id: 'q', receipt: 'gone' });
    await consumer.receipt('gone');
    const producer = await connectClient(ts, transport);
    await producer.publish('/topic/unsub-raw', 'after');
    await producer.publish('/queue/unsub-raw', 'after');
    await consumer.sync();
    expect(consumer.messages()).toEqual([]);
  });

  it('DISCONNECT with receipt: RECEIPT, then the server closes', async () => {
    const raw = await RawClient.open(ts, transport);
    const connected = await raw.connect();
    raw.send('SEND', { destination: '/queue/last-words' }, 'last');
    raw.send('DISCONNECT', { receipt: 'goodbye' });
    const receipt = await raw.nextFrame();
    expect(receipt.command).toBe('RECEIPT');
    expect(receipt.headers['receipt-id']).toBe('goodbye');
    await raw.waitClosed();
    // A clean DISCONNECT is not an error.
    expect(await ts.sessionClosed(connected.headers.session!)).toBeUndefined();
    // Frames before DISCONNECT were processed.
    const consumer = await connectClient(ts, 'ws');
    const inbox = await consumer.subscribe('/queue/last-words');
    expect((await inbox.next()).body).toBe('last');
  });

  it('DISCONNECT without receipt: the server closes', async () => {
    const raw = await RawClient.open(ts, transport);
    await raw.connect();
    raw.send('DISCONNECT');
    await raw.waitClosed();
    expect(raw.frames.all.filter((f) => f.command !== 'CONNECTED')).toEqual([]);
  });

  it('stompjs deactivate() (DISCONNECT + receipt) completes', async () => {
    const client = await connectClient(ts, transport);
    await client.disconnect();
    expect(client.isClosed).toBe(true);
  });
});

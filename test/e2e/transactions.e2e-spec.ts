// Transactions: BEGIN/COMMIT/ABORT over SEND and ACK, errors, implicit abort when the session ends.
import { useCleanup } from '../support/cleanup.js';
import { RawClient, TRANSPORTS } from '../support/raw-client.js';
import { connectClient } from '../support/stomp-client.js';
import { startServer, type TestServer } from '../support/test-server.js';

useCleanup();

let ts: TestServer;
beforeEach(async () => {
  ts = await startServer();
});

describe.each(TRANSPORTS)('transactions over %s', (transport) => {
  it('SENDs of a transaction are delivered only after COMMIT, in order', async () => {
    const consumer = await connectClient(ts, transport);
    const inbox = await consumer.subscribe('/topic/tx');
    const producer = await RawClient.open(ts, transport);
    await producer.connect();
    producer.send('BEGIN', { transaction: 'tx1' });
    producer.send('SEND', { destination: '/topic/tx', transaction: 'tx1' }, 'first');
    producer.send('SEND', { destination: '/topic/tx', transaction: 'tx1' }, 'second');
    // Sync point: the producer's SENDs were processed; then the consumer's own round trip.
    await producer.sync();
    await consumer.sync();
    expect(inbox.messages.all).toHaveLength(0);
    producer.send('COMMIT', { transaction: 'tx1', receipt: 'committed' });
    await producer.receipt('committed');
    const got = await inbox.take(2);
    expect(got.map((m) => m.body)).toEqual(['first', 'second']);
  });

  it('ABORT: nothing is delivered', async () => {
    const consumer = await connectClient(ts, transport);
    const inbox = await consumer.subscribe('/queue/tx-abort');
    const producer = await connectClient(ts, transport);
    const tx = producer.client.begin('tx-a');
    producer.publishNow('/queue/tx-abort', 'never-1', { transaction: tx.id });
    producer.publishNow('/queue/tx-abort', 'never-2', { transaction: tx.id });
    tx.abort();
    await producer.sync();
    await consumer.sync();
    expect(inbox.messages.all).toHaveLength(0);
    // The transaction is gone: sending in it now is an error.
    producer.publishNow('/queue/tx-abort', 'late', { transaction: tx.id });
    expect((await producer.nextError()).headers.message).toEqual(expect.any(String));
  });

  it('stompjs begin()/commit() delivers both messages', async () => {
    const consumer = await connectClient(ts, transport);
    const inbox = await consumer.subscribe('/queue/tx-stompjs');
    const producer = await connectClient(ts, transport);
    const tx = producer.client.begin();
    producer.publishNow('/queue/tx-stompjs', 'a', { transaction: tx.id });
    producer.publishNow('/queue/tx-stompjs', 'b', { transaction: tx.id });
    tx.commit();
    expect((await inbox.take(2)).map((m) => m.body)).toEqual(['a', 'b']);
  });

  it('an ACK inside a transaction takes effect on COMMIT only', async () => {
    const producer = await connectClient(ts, 'tcp');
    await producer.publish('/queue/tx-ack', 'aborted-ack');
    await producer.publish('/queue/tx-ack', 'committed-ack');
    const a = await RawClient.open(ts, transport);
    await a.connect();
    a.send('SUBSCRIBE', { id: 's', destination: '/queue/tx-ack', ack: 'client-individual' });
    const m1 = await a.waitFor((f) => f.command === 'MESSAGE');
    const m2 = await a.waitFor((f) => f.command === 'MESSAGE');
    // m1: ACK in a transaction that is aborted → still un-acked.
    a.send('BEGIN', { transaction: 't1' });
    a.send('ACK', { id: m1.headers.ack!, transaction: 't1' });
    a.send('ABORT', { transaction: 't1' });
    // m2: ACK in a transaction that commits → acked.
    a.send('BEGIN', { transaction: 't2' });
    a.send('ACK', { id: m2.headers.ack!, transaction: 't2' });
    a.send('COMMIT', { transaction: 't2', receipt: 'c' });
    await a.receipt('c');
    a.send('DISCONNECT', { receipt: 'bye' });
    await a.receipt('bye');
    const late = await connectClient(ts, 'ws');
    const inbox = await late.subscribe('/queue/tx-ack');
    await late.sync();
    expect(inbox.bodies).toEqual(['aborted-ack']);
  });

  it('an ACK in a transaction left open when the session ends never takes effect', async () => {
    const producer = await connectClient(ts, 'tcp');
    await producer.publish('/queue/tx-ack-open', 'keep-me');
    const a = await RawClient.open(ts, transport);
    await a.connect();
    a.send('SUBSCRIBE', { id: 's', destination: '/queue/tx-ack-open', ack: 'client-individual' });
    const m = await a.waitFor((f) => f.command === 'MESSAGE');
    a.send('BEGIN', { transaction: 't' });
    a.send('ACK', { id: m.headers.ack!, transaction: 't', receipt: 'acked-in-tx' });
    await a.receipt('acked-in-tx');
    a.send('DISCONNECT', { receipt: 'bye' });
    await a.receipt('bye');
    const late = await connectClient(ts, 'ws');
    const inbox = await late.subscribe('/queue/tx-ack-open');
    expect((await inbox.next()).body).toBe('keep-me');
  });

  it('COMMIT of an unknown transaction → ERROR (with receipt-id), then close', async () => {
    const raw = await RawClient.open(ts, transport);
    await raw.connect();
    raw.send('COMMIT', { transaction: 'nope', receipt: 'r-commit' });
    const error = await raw.expectErrorThenClose();
    expect(error.headers['receipt-id']).toBe('r-commit');
  });

  it('ABORT of an unknown transaction → ERROR, then close', async () => {
    const raw = await RawClient.open(ts, transport);
    await raw.connect();
    raw.send('ABORT', { transaction: 'nope' });
    await raw.expectErrorThenClose();
  });

  it('SEND in an unknown transaction → ERROR, then close', async () => {
    const raw = await RawClient.open(ts, transport);
    await raw.connect();
    raw.send('SEND', { destination: '/topic/x', transaction: 'nope', receipt: 'r-send' }, 'x');
    const error = await raw.expectErrorThenClose();
    expect(error.headers['receipt-id']).toBe('r-send');
  });

  it('duplicate BEGIN → ERROR, then close', async () => {
    const raw = await RawClient.open(ts, transport);
    await raw.connect();
    raw.send('BEGIN', { transaction: 'dup', receipt: 'b1' });
    await raw.receipt('b1');
    raw.send('BEGIN', { transaction: 'dup', receipt: 'b2' });
    const error = await raw.expectErrorThenClose();
    expect(error.headers['receipt-id']).toBe('b2');
  });

  it('BEGIN without a transaction header → ERROR, then close', async () => {
    const raw = await RawClient.open(ts, transport);
    await raw.connect();
    raw.send('BEGIN', {});
    await raw.expectErrorThenClose();
  });

  it('DISCONNECT with an open transaction: its SENDs are never delivered', async () => {
    const consumer = await connectClient(ts, transport);
    const topic = await consumer.subscribe('/topic/tx-open');
    const producer = await RawClient.open(ts, transport);
    await producer.connect();
    producer.send('BEGIN', { transaction: 't' });
    producer.send('SEND', { destination: '/topic/tx-open', transaction: 't' }, 'ghost');
    producer.send('SEND', { destination: '/queue/tx-open', transaction: 't' }, 'ghost');
    producer.send('DISCONNECT', { receipt: 'bye' });
    await producer.receipt('bye');
    await producer.waitClosed();
    const queue = await consumer.subscribe('/queue/tx-open');
    await consumer.sync();
    expect(topic.messages.all).toHaveLength(0);
    expect(queue.messages.all).toHaveLength(0);
  });

  it('a connection that dies with an open transaction: its SENDs are never delivered', async () => {
    const producer = await RawClient.open(ts, transport);
    const connected = await producer.connect();
    producer.send('BEGIN', { transaction: 't' });
    producer.send('SEND', { destination: '/queue/tx-dead', transaction: 't', receipt: 'sent' }, 'ghost');
    await producer.receipt('sent');
    producer.destroy();
    await ts.sessionClosed(connected.headers.session!);
    const consumer = await connectClient(ts, transport);
    const queue = await consumer.subscribe('/queue/tx-dead');
    await consumer.sync();
    expect(queue.messages.all).toHaveLength(0);
  });
});

// Broker semantics: topic fan-out, queue round-robin and holding, wildcards, MESSAGE headers, bodies.
import { useCleanup } from '../support/cleanup.js';
import { RawClient, TRANSPORTS, type Transport } from '../support/raw-client.js';
import { connectClient } from '../support/stomp-client.js';
import { startServer, type TestServer } from '../support/test-server.js';

useCleanup();

let ts: TestServer;
beforeEach(async () => {
  ts = await startServer();
});

describe('topics (WS and TCP mixed)', () => {
  it('every subscriber gets each message exactly once', async () => {
    const subscribers = await Promise.all(
      (['ws', 'tcp', 'ws', 'tcp'] as Transport[]).map((t) => connectClient(ts, t)),
    );
    const inboxes = await Promise.all(subscribers.map((c) => c.subscribe('/topic/fanout')));
    const wsProducer = await connectClient(ts, 'ws');
    const tcpProducer = await connectClient(ts, 'tcp');
    await wsProducer.publish('/topic/fanout', 'from-ws');
    await tcpProducer.publish('/topic/fanout', 'from-tcp');
    for (const inbox of inboxes) {
      const got = await inbox.take(2);
      expect(got.map((m) => m.body).sort()).toEqual(['from-tcp', 'from-ws']);
    }
    await Promise.all(subscribers.map((c) => c.sync()));
    for (const inbox of inboxes) expect(inbox.messages.all).toHaveLength(2);
  });

  it('a topic does not keep messages sent while nobody subscribed', async () => {
    const producer = await connectClient(ts, 'tcp');
    await producer.publish('/topic/volatile', 'lost');
    const consumer = await connectClient(ts, 'ws');
    const inbox = await consumer.subscribe('/topic/volatile');
    await producer.publish('/topic/volatile', 'seen');
    expect((await inbox.next()).body).toBe('seen');
    await consumer.sync();
    expect(inbox.bodies).toEqual(['seen']);
  });
});

describe('queues', () => {
  it('two consumers share a queue round-robin, each message exactly once', async () => {
    const a = await connectClient(ts, 'ws');
    const b = await connectClient(ts, 'tcp');
    const inboxA = await a.subscribe('/queue/work');
    const inboxB = await b.subscribe('/queue/work');
    const producer = await connectClient(ts, 'tcp');
    const sent = Array.from({ length: 10 }, (_, i) => `job-${i}`);
    for (const body of sent) await producer.publish('/queue/work', body);
    await Promise.all([a.sync(), b.sync()]);
    const got = [...inboxA.bodies, ...inboxB.bodies];
    expect(got.sort()).toEqual([...sent].sort());
    // Round-robin: the work is split evenly, not all to one consumer.
    expect(inboxA.bodies).toHaveLength(5);
    expect(inboxB.bodies).toHaveLength(5);
  });

  it('holds messages while nobody subscribes and delivers them in order on SUBSCRIBE', async () => {
    const producer = await connectClient(ts, 'ws');
    for (const body of ['one', 'two', 'three']) await producer.publish('/queue/held', body);
    const consumer = await connectClient(ts, 'tcp');
    const inbox = await consumer.subscribe('/queue/held');
    const got = await inbox.take(3);
    expect(got.map((m) => m.body)).toEqual(['one', 'two', 'three']);
    await consumer.sync();
    expect(inbox.messages.all).toHaveLength(3);
    // Delivered once: a second consumer finds the queue empty.
    const late = await connectClient(ts, 'ws');
    const lateInbox = await late.subscribe('/queue/held');
    await late.sync();
    expect(lateInbox.messages.all).toHaveLength(0);
  });
});

describe('wildcard subscriptions', () => {
  it('/topic/price.stock.* matches one segment only', async () => {
    const consumer = await connectClient(ts, 'ws');
    const inbox = await consumer.subscribe('/topic/price.stock.*');
    const producer = await connectClient(ts, 'tcp');
    await producer.publish('/topic/price.stock.MMM', 'match-1');
    await producer.publish('/topic/price.stock.IBM', 'match-2');
    await producer.publish('/topic/price.stock.MMM.extra', 'too-deep');
    await producer.publish('/topic/price.bond.MMM', 'other-branch');
    await producer.publish('/topic/price.stock', 'too-short');
    await consumer.sync();
    expect(inbox.bodies).toEqual(['match-1', 'match-2']);
    // MESSAGE destination is where it was sent, not the pattern.
    expect(inbox.messages.all.map((m) => m.headers.destination)).toEqual([
      '/topic/price.stock.MMM',
      '/topic/price.stock.IBM',
    ]);
  });

  it('/topic/** matches every topic, but no queue', async () => {
    const consumer = await connectClient(ts, 'tcp');
    const inbox = await consumer.subscribe('/topic/**');
    const producer = await connectClient(ts, 'ws');
    await producer.publish('/topic/a', 'a');
    await producer.publish('/topic/a/b/c', 'abc');
    await producer.publish('/topic/price.stock.MMM', 'dots');
    await producer.publish('/queue/not-a-topic', 'queue');
    await consumer.sync();
    // sync itself publishes to /topic/sync, which /topic/** also matches.
    expect(inbox.bodies.filter((b) => b !== '')).toEqual(['a', 'abc', 'dots']);
  });
});

describe.each(TRANSPORTS)('MESSAGE frames over %s', (transport) => {
  it('carry destination, message-id and subscription', async () => {
    const consumer = await connectClient(ts, transport);
    const inbox = await consumer.subscribe('/topic/headers', { id: 'my-sub-1' });
    const producer = await connectClient(ts, transport);
    await producer.publish('/topic/headers', 'x');
    await producer.publish('/topic/headers', 'y');
    const [m1, m2] = await inbox.take(2);
    expect(m1!.headers.destination).toBe('/topic/headers');
    expect(m1!.headers.subscription).toBe('my-sub-1');
    expect(m1!.headers['message-id']).toEqual(expect.any(String));
    expect(m1!.headers['message-id']).not.toBe(m2!.headers['message-id']);
  });

  it('user headers of SEND reach MESSAGE untouched (1.2 escaping round trip)', async () => {
    const consumer = await connectClient(ts, transport);
    const inbox = await consumer.subscribe('/topic/user-headers');
    const producer = await connectClient(ts, transport);
    const headers = {
      'x-plain': 'value with spaces',
      'x-colon': 'a:b:c',
      'x-newline': 'line1\nline2',
      'x-backslash': 'C:\\path\\file',
      'x-mixed': 'k:v\r\nx\\y',
      'x-unicode': 'héllo ✓ 日本',
      'content-type': 'application/json',
    };
    await producer.publish('/topic/user-headers', '{"a":1}', headers);
    const message = await inbox.next();
    for (const [name, value] of Object.entries(headers)) expect(message.headers[name]).toBe(value);
    expect(message.body).toBe('{"a":1}');
    // Frame-control headers of the SEND are not passed on.
    expect(message.headers.receipt).toBeUndefined();
  });

  it('escapes header values on the wire exactly as STOMP 1.2 says', async () => {
    const consumer = await RawClient.open(ts, transport);
    await consumer.connect({ 'accept-version': '1.2' });
    consumer.send('SUBSCRIBE', { id: 's', destination: '/topic/escape', receipt: 'sub' });
    await consumer.receipt('sub');
    const producer = await RawClient.open(ts, transport);
    await producer.connect({ 'accept-version': '1.2' });
    producer.send('SEND', [
      ['destination', '/topic/escape'],
      ['x-esc', 'a\\cb\\nc\\\\d\\re'],
      ['x-padded', '  padded  '],
      ['receipt', 'p'],
    ]);
    await producer.receipt('p');
    const message = await consumer.waitFor((f) => f.command === 'MESSAGE');
    expect(message.rawHeaders).toContainEqual(['x-esc', 'a\\cb\\nc\\\\d\\re']);
    expect(message.headers['x-esc']).toBe('a:b\nc\\d\re');
    // STOMP 1.2: MUST NOT trim or pad header values.
    expect(message.headers['x-padded']).toBe('  padded  ');
  });

  it('content-length bodies containing NUL bytes survive', async () => {
    const consumer = await RawClient.open(ts, transport);
    await consumer.connect();
    consumer.send('SUBSCRIBE', { id: 's', destination: '/queue/nul', receipt: 'sub' });
    await consumer.receipt('sub');
    const producer = await RawClient.open(ts, transport);
    await producer.connect();
    const body = Buffer.from([0x61, 0x00, 0x62, 0x00, 0x00, 0x63, 0x0a, 0x00]);
    producer.send('SEND', { destination: '/queue/nul', 'content-length': String(body.length), receipt: 'p' }, body);
    await producer.receipt('p');
    const message = await consumer.waitFor((f) => f.command === 'MESSAGE');
    expect(message.headers['content-length']).toBe(String(body.length));
    expect(message.body.equals(body)).toBe(true);
  });

  it('a body without content-length ends at the first NUL', async () => {
    const consumer = await RawClient.open(ts, transport);
    await consumer.connect();
    consumer.send('SUBSCRIBE', { id: 's', destination: '/topic/nocl', receipt: 'sub' });
    await consumer.receipt('sub');
    consumer.send('SEND', { destination: '/topic/nocl' }, 'plain text body');
    const message = await consumer.waitFor((f) => f.command === 'MESSAGE');
    expect(message.body.toString()).toBe('plain text body');
  });

  it('a binary body (all 256 byte values) round-trips through stompjs', async () => {
    const consumer = await connectClient(ts, transport);
    const inbox = await consumer.subscribe('/topic/binary');
    const producer = await connectClient(ts, transport === 'ws' ? 'tcp' : 'ws');
    const body = new Uint8Array(512);
    for (let i = 0; i < body.length; i++) body[i] = (i * 7) % 256;
    await producer.publish('/topic/binary', body, { 'content-type': 'application/octet-stream' });
    const message = await inbox.next();
    expect(Buffer.from(message.binaryBody).equals(Buffer.from(body))).toBe(true);
    expect(message.headers['content-type']).toBe('application/octet-stream');
  });
});

describe('binary over WebSocket', () => {
  it('a non-UTF-8 body reaches a raw WS client intact', async () => {
    const consumer = await RawClient.open(ts, 'ws');
    await consumer.connect();
    consumer.send('SUBSCRIBE', { id: 's', destination: '/topic/bin', receipt: 'sub' });
    await consumer.receipt('sub');
    const producer = await connectClient(ts, 'ws');
    const body = Uint8Array.from([0xff, 0xfe, 0x00, 0x80, 0xc3, 0x28, 0x01]);
    await producer.publish('/topic/bin', body);
    const message = await consumer.waitFor((f) => f.command === 'MESSAGE');
    expect(message.body.equals(Buffer.from(body))).toBe(true);
    // Invalid UTF-8 cannot travel in a text message: the server must have used a binary one.
    expect(consumer.wsBinary.at(-1)).toBe(true);
  });
});

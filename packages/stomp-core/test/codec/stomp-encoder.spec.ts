import type { BrokerMessage } from '../../src/broker/message-broker.js';
import {
  HEARTBEAT_EOL,
  deliveryLines,
  encodeFrame,
  messageHead,
  messageTail,
  prepareMessageTail,
  sequenceLinesLength,
  writeMessageTail,
  writeSequenceLines,
} from '../../src/codec/stomp-encoder.js';
import { decodeChunks } from './decoder-harness.js';

const text = (buffer: Buffer) => buffer.toString('latin1');

describe('encodeFrame: exact bytes', () => {
  it('writes command, headers in order, computed content-length, blank line, body, NUL', () => {
    const frame = encodeFrame('SEND', { destination: '/q', 'content-type': 'text/plain' }, 'hi', '1.2');
    expect(text(frame)).toBe('SEND\ndestination:/q\ncontent-type:text/plain\ncontent-length:2\n\nhi\0');
  });

  it('replaces a given content-length with the real one', () => {
    const frame = encodeFrame('SEND', { 'content-length': '99', destination: '/q' }, Buffer.from('a\0c'), '1.2');
    expect(text(frame)).toBe('SEND\ndestination:/q\ncontent-length:3\n\na\0c\0');
  });

  it('counts content-length in UTF-8 bytes for string bodies', () => {
    const frame = encodeFrame('MESSAGE', {}, 'é😀', '1.2');
    expect(frame.toString('utf8')).toBe('MESSAGE\ncontent-length:6\n\né😀\0');
  });

  it('omits content-length for an empty body, except on SEND, MESSAGE and ERROR (content-length:0)', () => {
    expect(text(encodeFrame('RECEIPT', { 'receipt-id': '7' }, undefined, '1.2'))).toBe('RECEIPT\nreceipt-id:7\n\n\0');
    expect(text(encodeFrame('CONNECTED', { version: '1.2' }, Buffer.alloc(0), '1.2'))).toBe('CONNECTED\nversion:1.2\n\n\0');
    expect(text(encodeFrame('ERROR', { message: 'x' }, undefined, '1.2'))).toBe('ERROR\nmessage:x\ncontent-length:0\n\n\0');
    expect(text(encodeFrame('SEND', {}, '', '1.1'))).toBe('SEND\ncontent-length:0\n\n\0');
    expect(text(encodeFrame('MESSAGE', {}, undefined, '1.0'))).toBe('MESSAGE\ncontent-length:0\n\n\0');
  });

  it('writes content-length on any command that has a body', () => {
    expect(text(encodeFrame('RECEIPT', {}, 'x', '1.2'))).toBe('RECEIPT\ncontent-length:1\n\nx\0');
  });

  it('1.2 escapes \\ LF CR and : in names and values', () => {
    const frame = encodeFrame('MESSAGE', { 'a:b\r': 'c\nd\re\\f:' }, undefined, '1.2');
    expect(text(frame)).toBe('MESSAGE\na\\cb\\r:c\\nd\\re\\\\f\\c\ncontent-length:0\n\n\0');
  });

  it('1.1 escapes \\ LF and :, writes CR raw, and turns a value-final CR into a space', () => {
    const frame = encodeFrame('MESSAGE', { 'a:b\r': 'c\nd\re\\f', last: 'x\r' }, undefined, '1.1');
    expect(text(frame)).toBe('MESSAGE\na\\cb\r:c\\nd\re\\\\f\nlast:x \ncontent-length:0\n\n\0');
  });

  it('1.0 cannot escape: CR/LF become spaces, ":" in a name becomes "_", backslashes stay', () => {
    const frame = encodeFrame('MESSAGE', { 'a:b\n': 'c\nd\re\\f:g' }, undefined, '1.0');
    expect(text(frame)).toBe('MESSAGE\na_b :c d e\\f:g\ncontent-length:0\n\n\0');
  });

  it.each(['CONNECT', 'STOMP', 'CONNECTED'] as const)('%s is never escaped (1.2), only made safe', (command) => {
    const frame = encodeFrame(command, { server: 'x:y\\z', 'a:b': 'l1\nl2' }, undefined, '1.2');
    expect(text(frame)).toBe(`${command}\nserver:x:y\\z\na_b:l1 l2\n\n\0`);
  });

  it('replaces NUL in headers (no escape exists for it) and skips empty names and undefined values', () => {
    const headers = { '': 'dropped', 'x\0': 'a\0b', gone: undefined as unknown as string };
    expect(text(encodeFrame('SEND', headers, undefined, '1.2'))).toBe('SEND\nx :a b\ncontent-length:0\n\n\0');
  });

  it('decodes back what it encoded, for every version', () => {
    for (const version of ['1.0', '1.1', '1.2'] as const) {
      const bytes = encodeFrame('SEND', { destination: '/q', 'x-y': 'a\\b c', ['__proto__']: 'p' }, Buffer.from([0, 1, 0]), version);
      const run = decodeChunks([bytes], version);
      expect(run.errors).toEqual([]);
      expect({ ...run.frames[0]!.headers }).toEqual({ destination: '/q', 'x-y': 'a\\b c', ['__proto__']: 'p', 'content-length': '3' });
      expect([...run.frames[0]!.body]).toEqual([0, 1, 0]);
    }
  });

  it('HEARTBEAT_EOL is one LF', () => {
    expect(text(HEARTBEAT_EOL)).toBe('\n');
  });
});

describe('messageHead + messageTail', () => {
  const message = (): BrokerMessage => ({
    destination: '/topic/a:b',
    headers: { 'content-type': 'text/plain', 'content-length': '999', destination: '/ignored', 'x-user': 'v' },
    body: Buffer.from('hello'),
  });

  it('tail: destination, message headers (own destination/content-length replaced), content-length, body, NUL', () => {
    expect(text(messageTail(message(), '1.2'))).toBe(
      'destination:/topic/a\\cb\ncontent-type:text/plain\nx-user:v\ncontent-length:5\n\nhello\0',
    );
    expect(text(messageTail(message(), '1.0'))).toBe('destination:/topic/a:b\ncontent-type:text/plain\nx-user:v\ncontent-length:5\n\nhello\0');
  });

  it('head: command, subscription, message-id, optional ack, extra headers', () => {
    expect(text(messageHead('sub-1', 'm-1', undefined, '1.2'))).toBe('MESSAGE\nsubscription:sub-1\nmessage-id:m-1\n');
    expect(text(messageHead('s:1', 'm-1', 'a-1', '1.2', { redelivered: 'true' }))).toBe(
      'MESSAGE\nsubscription:s\\c1\nmessage-id:m-1\nack:a-1\nredelivered:true\n',
    );
    expect(text(messageHead('s:1', 'm\n1', undefined, '1.0'))).toBe('MESSAGE\nsubscription:s:1\nmessage-id:m 1\n');
  });

  it('caches the tail per escaping flavour on the message', () => {
    const m = message();
    const v12 = messageTail(m, '1.2');
    expect(messageTail(m, '1.2')).toBe(v12);
    const v11 = messageTail(m, '1.1');
    const v10 = messageTail(m, '1.0');
    expect(messageTail(m, '1.1')).toBe(v11);
    expect(v11).not.toBe(v12);
    expect(m.encoded).toEqual([v10, v11, v12]);
    expect(m.encoded![2]).toBe(v12);
  });

  it.each(['1.0', '1.1', '1.2'] as const)('head + tail decode to one MESSAGE (%s); the head wins over message headers', (version) => {
    const m = message();
    m.headers.subscription = 'forged';
    const bytes = Buffer.concat([messageHead('sub-1', 'm-7', 'm-7', version, { redelivered: 'true' }), messageTail(m, version)]);
    const run = decodeChunks([bytes, bytes], version);
    expect(run.errors).toEqual([]);
    expect(run.frames).toHaveLength(2);
    const frame = run.frames[0]!;
    expect(frame.command).toBe('MESSAGE');
    expect({ ...frame.headers }).toEqual({
      subscription: 'sub-1',
      'message-id': 'm-7',
      ack: 'm-7',
      redelivered: 'true',
      destination: '/topic/a:b',
      'content-type': 'text/plain',
      'x-user': 'v',
      'content-length': '5',
    });
    expect(frame.body.toString()).toBe('hello');
  });
});

describe('deliveryLines', () => {
  // Broker ids take a byte-loop shortcut; everything else the general, escaping path.
  it.each([
    ['1', '1', false, '1.2', 'message-id:1\nack:1\n'],
    ['123456789', undefined, false, '1.2', 'message-id:123456789\n'],
    ['m-7.x_y', 'm-7.x_y', false, '1.0', 'message-id:m-7.x_y\nack:m-7.x_y\n'],
    ['7', '7', true, '1.2', 'message-id:7\nack:7\nredelivered:true\n'],
    ['7', '8', false, '1.2', 'message-id:7\nack:8\n'],
    ['a:b', 'a:b', false, '1.2', 'message-id:a\\cb\nack:a\\cb\n'],
    ['a\\b', 'a\\b', false, '1.1', 'message-id:a\\\\b\nack:a\\\\b\n'],
    ['a\rb', 'a\rb', false, '1.2', 'message-id:a\\rb\nack:a\\rb\n'],
    ['a b', undefined, false, '1.2', 'message-id:a b\n'],
  ] as const)('id %j, ack %j, redelivered %j, STOMP %s', (id, ack, redelivered, version, expected) => {
    expect(text(deliveryLines(id, ack, redelivered, version))).toBe(expected);
  });

  it('writes non-ASCII ids as UTF-8', () => {
    expect(deliveryLines('é', 'é', false, '1.2').toString('utf8')).toBe('message-id:é\nack:é\n');
  });
});

describe('writeSequenceLines', () => {
  // The embedded broker's numeric ids, written in place: the same bytes as deliveryLines of their decimal form.
  it.each([1, 9, 10, 99, 100, 123456, 999999, 1000000, 2 ** 31 - 1, 2 ** 31, 2 ** 32 + 5, 2 ** 53 - 1])('sequence %d', (sequence) => {
    for (const withAck of [true, false]) {
      const expected = text(deliveryLines(String(sequence), withAck ? String(sequence) : undefined, false, '1.2'));
      const out = Buffer.alloc(sequenceLinesLength(sequence, withAck) + 4, '#');
      const end = writeSequenceLines(out, 2, sequence, withAck);
      expect(end).toBe(out.length - 2);
      expect(text(out)).toBe(`##${expected}##`);
    }
  });
});

describe('prepareMessageTail + writeMessageTail', () => {
  // A queue message is written straight into the session's output: the same bytes as its cached tail.
  it.each([
    ['/queue/a', {}, 'body', '1.2'],
    ['/queue/a:b', { 'content-type': 'text/plain', 'x-k': 'v:1\n' }, '', '1.2'],
    ['/queue/a:b', { 'content-type': 'text/plain', 'x-k': 'v:1' }, 'x'.repeat(12345), '1.1'],
    ['/queue/é', { é: 'ü' }, 'b\0b', '1.0'],
  ] as const)('destination %j, headers %j (body %#), STOMP %s', (destination, headers, body, version) => {
    const expected = messageTail({ destination, headers, body: Buffer.from(body) }, version);
    const message: BrokerMessage = { destination, headers, body: Buffer.from(body) };
    const length = prepareMessageTail(message, version);
    const out = Buffer.alloc(length + 3, '#');
    expect(writeMessageTail(out, 1, message.body)).toBe(length + 1);
    expect(out.subarray(1, length + 1).equals(expected)).toBe(true);
    expect(text(out.subarray(0, 1)) + text(out.subarray(length + 1))).toBe('###');
    expect(message.encoded).toBeUndefined(); // nothing cached on the message
  });
});

describe('messageTail: consecutive messages', () => {
  // The destination line of the previous message is reused: it must never leak into the next one.
  it('writes each message its own destination, per version, with user headers between', () => {
    const tail = (destination: string, version: '1.0' | '1.1' | '1.2', headers: Record<string, string> = {}, deliveredAs?: string) => {
      const m: BrokerMessage = { destination, headers, body: Buffer.from('b') };
      if (deliveredAs !== undefined) m.deliveredAs = deliveredAs;
      return text(messageTail(m, version));
    };
    expect(tail('/queue/a:b', '1.2')).toBe('destination:/queue/a\\cb\ncontent-length:1\n\nb\0');
    expect(tail('/queue/a:b', '1.2')).toBe('destination:/queue/a\\cb\ncontent-length:1\n\nb\0');
    expect(tail('/queue/a:b', '1.0')).toBe('destination:/queue/a:b\ncontent-length:1\n\nb\0');
    expect(tail('/queue/a:b', '1.1', { 'x-k': 'v:1' })).toBe('destination:/queue/a\\cb\nx-k:v\\c1\ncontent-length:1\n\nb\0');
    expect(tail('/queue/c', '1.1')).toBe('destination:/queue/c\ncontent-length:1\n\nb\0');
    expect(tail('/queue/c-user1', '1.2', {}, '/user/queue/c')).toBe('destination:/user/queue/c\ncontent-length:1\n\nb\0');
    expect(tail('/queue/c', '1.2', { é: 'ü' })).toBe(Buffer.from('destination:/queue/c\né:ü\ncontent-length:1\n\nb\0').toString('latin1'));
  });

  // The user headers' bytes of the previous message are reused when names and values repeat: any difference must show.
  it('writes each message its own user headers (values, names, order, count and flavour changing between messages)', () => {
    const tail = (headers: Record<string, string>, version: '1.0' | '1.1' | '1.2' = '1.2') =>
      text(messageTail({ destination: '/q', headers, body: Buffer.from('b') }, version));
    const expected = (lines: string) => `destination:/q\n${lines}content-length:1\n\nb\0`;
    expect(tail({ 'content-type': 'text/plain' })).toBe(expected('content-type:text/plain\n'));
    expect(tail({ 'content-type': 'text/plain' })).toBe(expected('content-type:text/plain\n'));
    expect(tail({ 'content-type': 'text/html' })).toBe(expected('content-type:text/html\n'));
    expect(tail({ 'content-typf': 'text/html' })).toBe(expected('content-typf:text/html\n'));
    expect(tail({ 'content-typf': 'text/html', a: '1' })).toBe(expected('content-typf:text/html\na:1\n'));
    expect(tail({ a: '1', 'content-typf': 'text/html' })).toBe(expected('a:1\ncontent-typf:text/html\n'));
    expect(tail({ a: '1' })).toBe(expected('a:1\n'));
    expect(tail({})).toBe(expected(''));
    expect(tail({ a: 'v:1' }, '1.2')).toBe(expected('a:v\\c1\n'));
    expect(tail({ a: 'v:1' }, '1.0')).toBe(expected('a:v:1\n'));
    expect(tail({ a: 'v:1', destination: '/other', 'content-length': '9' }, '1.0')).toBe(expected('a:v:1\n'));
    const inherited = Object.create({ inherited: 'x' }) as Record<string, string>;
    inherited.own = 'y';
    expect(tail(inherited)).toBe(expected('own:y\n'));
  });
});

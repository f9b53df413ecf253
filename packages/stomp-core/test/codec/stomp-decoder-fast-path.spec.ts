import fc from 'fast-check';
import { encodeFrame } from '../../src/codec/stomp-encoder.js';
import { STOMP_VERSIONS, type StompVersion } from '../../src/codec/stomp-frame.js';
import { StompErrorCode } from '../../src/errors/error-codes.js';
import { bytewise, createRun, decodeChunks, frameEvent as f, splitAt, toBuffer, utf8, type DecodeEvent } from './decoder-harness.js';

// The decoder's byte-level shortcuts (known commands and header names as constants, short ASCII
// values built without a native decode, the repeated-value cache, short lines scanned in JS)
// must give exactly what the general path gives. Each case is checked in one chunk, at every
// split point, and one byte per write.

const INVALID_ESCAPE: DecodeEvent = { type: 'error', code: StompErrorCode.INVALID_ESCAPE, name: 'StompProtocolError' };
const MALFORMED: DecodeEvent = { type: 'error', code: StompErrorCode.MALFORMED_FRAME, name: 'StompProtocolError' };

function expectEverySplit(input: string | Buffer, version: StompVersion, expected: DecodeEvent[]): void {
  const bytes = toBuffer(input);
  expect(decodeChunks([bytes], version).events).toEqual(expected);
  expect(decodeChunks(bytewise(bytes), version).events).toEqual(expected);
  for (let k = 0; k <= bytes.length; k++) {
    const events = decodeChunks(splitAt(bytes, [k]), version).events;
    if (JSON.stringify(events) !== JSON.stringify(expected)) expect({ k, events }).toEqual({ k, expected });
  }
}

const CASES: { name: string; version: StompVersion; input: string | Buffer; expected: DecodeEvent[] }[] = [
  {
    name: 'three ACKs and a NACK back to back (1.2 id)',
    version: '1.2',
    input: 'ACK\nid:1\n\n\0ACK\nid:22\n\n\0\nACK\nid:12345678\n\n\0NACK\nid:123456789\n\n\0',
    expected: [f('ACK', { id: '1' }), f('ACK', { id: '22' }), { type: 'heartbeat' }, f('ACK', { id: '12345678' }), f('NACK', { id: '123456789' })],
  },
  {
    name: 'ACK with CRLF lines, receipt and transaction',
    version: '1.2',
    input: 'ACK\r\nid:7\r\nreceipt:r-1\r\ntransaction:tx\r\n\r\n\0',
    expected: [f('ACK', { id: '7', receipt: 'r-1', transaction: 'tx' })],
  },
  { name: '1.2: escaped id', version: '1.2', input: 'ACK\nid:a\\cb\\\\c\\r\\n\n\n\0', expected: [f('ACK', { id: 'a:b\\c\r\n' })] },
  { name: '1.2: short escaped id (within the short-value length)', version: '1.2', input: 'ACK\nid:a\\cb\n\n\0', expected: [f('ACK', { id: 'a:b' })] },
  { name: '1.1: escaped id', version: '1.1', input: 'ACK\nid:a\\cb\\n\n\n\0', expected: [f('ACK', { id: 'a:b\n' })] },
  { name: '1.1: \\r in an id is undefined', version: '1.1', input: 'ACK\nid:1\\r\n\n\0', expected: [INVALID_ESCAPE] },
  { name: '1.2: undefined escape in a short id', version: '1.2', input: 'ACK\nid:1\\t\n\n\0', expected: [INVALID_ESCAPE] },
  { name: '1.0: backslashes are plain bytes', version: '1.0', input: 'ACK\nmessage-id:a\\cb\n\n\0', expected: [f('ACK', { 'message-id': 'a\\cb' })] },
  { name: 'repeated id: first wins', version: '1.2', input: 'ACK\nid:1\nid:2\n\n\0', expected: [f('ACK', { id: '1' })] },
  {
    name: 'kept CONNECT values: common ones and near misses of the same length read as sent',
    version: '1.2',
    input: 'CONNECT\naccept-version:1.2\nheart-beat:10000,10001\nhost:localhosT\n\n\0CONNECT\naccept-version:1.3\nheart-beat:0,0\nhost:/\n\n\0',
    expected: [
      f('CONNECT', { 'accept-version': '1.2', 'heart-beat': '10000,10001', host: 'localhosT' }),
      f('CONNECT', { 'accept-version': '1.3', 'heart-beat': '0,0', host: '/' }),
    ],
  },
  {
    name: 'kept SUBSCRIBE ack values, escaped and unknown ones',
    version: '1.2',
    input: 'SUBSCRIBE\nid:0\nack:client-individual\n\n\0SUBSCRIBE\nid:1\nack:cli\\cent\n\n\0SUBSCRIBE\nid:2\nack:autp\n\n\0',
    expected: [
      f('SUBSCRIBE', { id: '0', ack: 'client-individual' }),
      f('SUBSCRIBE', { id: '1', ack: 'cli:ent' }),
      f('SUBSCRIBE', { id: '2', ack: 'autp' }),
    ],
  },
  {
    name: 'repeated id, first one escaped: first wins after unescaping',
    version: '1.2',
    input: 'ACK\nid:x\\cy\nid:2\n\n\0',
    expected: [f('ACK', { id: 'x:y' })],
  },
  {
    name: '1.0 form: message-id and subscription',
    version: '1.0',
    input: 'ACK\nmessage-id:42\nsubscription:sub-0\nmessage-id:43\n\n\0',
    expected: [f('ACK', { 'message-id': '42', subscription: 'sub-0' })],
  },
  {
    name: '1.1 form: message-id and subscription',
    version: '1.1',
    input: 'NACK\nsubscription:0\nmessage-id:m\\c1\n\n\0',
    expected: [f('NACK', { subscription: '0', 'message-id': 'm:1' })],
  },
  {
    name: 'names are case-sensitive and near misses stay themselves',
    version: '1.2',
    input: 'ACK\nID:1\ni:2\nids:3\nidx:4\nmessage-i:5\ndestinatio:6\ndestinationx:7\nid:8\n\n\0',
    expected: [f('ACK', { ID: '1', i: '2', ids: '3', idx: '4', 'message-i': '5', destinatio: '6', destinationx: '7', id: '8' })],
  },
  {
    name: 'an escaped colon in a name is not the name/value split',
    version: '1.2',
    input: 'ACK\ni\\cd:1\nid:2\n\n\0',
    expected: [f('ACK', { 'i:d': '1', id: '2' })],
  },
  {
    name: 'commands close to known ones are passed on as they are',
    version: '1.2',
    input: 'ACKS\n\n\0SEN\n\n\0send\n\n\0NACK \n\n\0',
    expected: [f('ACKS', {}), f('SEN', {}), f('send', {}), f('NACK ', {})],
  },
  {
    name: 'short non-ASCII values are UTF-8 decoded',
    version: '1.2',
    input: utf8('SEND\nid:é\nx:😀\ncontent-type:ü\n\n\0'),
    expected: [f('SEND', { id: 'é', x: '😀', 'content-type': 'ü' })],
  },
  {
    name: 'values of 0, 8 and 9 bytes',
    version: '1.2',
    input: 'SEND\nid:\nack:abcdefgh\nreceipt:abcdefghi\n\n\0',
    expected: [f('SEND', { id: '', ack: 'abcdefgh', receipt: 'abcdefghi' })],
  },
  {
    name: 'a line longer than the in-JS scan, and a NUL past it',
    version: '1.2',
    input: `SEND\nx-long:${'v'.repeat(100)}\n\n\0SEND\nx-long:${'v'.repeat(100)}\0\n\n\0`,
    expected: [f('SEND', { 'x-long': 'v'.repeat(100) }), MALFORMED],
  },
];

describe('StompDecoder fast paths', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    expectEverySplit(c.input, c.version, c.expected);
  });
});

describe('StompDecoder repeated-destination cache', () => {
  it('gives every frame its own destination when destinations alternate, repeat and change length', () => {
    const dests = ['/queue/bench.q', '/queue/bench.q', '/queue/bench.qq', '/queue/bench.q', '/topic/a', '/queue/bench.r', '/queue/bench.r'];
    const input = dests.map((d) => `SEND\ndestination:${d}\n\n\0`).join('');
    expectEverySplit(input, '1.2', dests.map((d) => f('SEND', { destination: d })));
  });

  it('unescapes a repeated escaped destination each time, per version', () => {
    const frame = 'SEND\ndestination:/queue/a\\cb\\\\c\n\n\0';
    expectEverySplit(frame + frame, '1.2', [f('SEND', { destination: '/queue/a:b\\c' }), f('SEND', { destination: '/queue/a:b\\c' })]);
    expectEverySplit(frame + frame, '1.0', [f('SEND', { destination: '/queue/a\\cb\\\\c' }), f('SEND', { destination: '/queue/a\\cb\\\\c' })]);
  });

  it('does not reuse a destination across escaping flavours (CONNECT is never unescaped)', () => {
    const run = createRun('1.2');
    run.decoder.write(Buffer.from('CONNECT\ndestination:/queue/a\\cb\n\n\0SEND\ndestination:/queue/a\\cb\n\n\0CONNECT\ndestination:/queue/a\\cb\n\n\0'));
    expect(run.events).toEqual([
      f('CONNECT', { destination: '/queue/a\\cb' }),
      f('SEND', { destination: '/queue/a:b' }),
      f('CONNECT', { destination: '/queue/a\\cb' }),
    ]);
  });

  it('does not reuse a destination decoded under another version', () => {
    const run = createRun('1.0');
    run.decoder.write(Buffer.from('SEND\ndestination:/queue/a\\cb\n\n\0'));
    run.decoder.version = '1.2';
    run.decoder.write(Buffer.from('SEND\ndestination:/queue/a\\cb\n\n\0'));
    expect(run.events).toEqual([f('SEND', { destination: '/queue/a\\cb' }), f('SEND', { destination: '/queue/a:b' })]);
  });

  it('still rejects an undefined escape right after a cached destination', () => {
    expectEverySplit('SEND\ndestination:/queue/ok\n\n\0SEND\ndestination:/queue/ok\\t\n\n\0', '1.2', [
      f('SEND', { destination: '/queue/ok' }),
      INVALID_ESCAPE,
    ]);
  });

  it('never hands back the bytes of a chunk the transport reuses', () => {
    const run = createRun('1.2');
    const chunk = Buffer.from('SEND\ndestination:/queue/reused\n\n\0');
    run.decoder.write(chunk);
    chunk.write('SEND\ndestination:/queue/REUSED\n\n\0');
    run.decoder.write(chunk);
    expect(run.events).toEqual([f('SEND', { destination: '/queue/reused' }), f('SEND', { destination: '/queue/REUSED' })]);
  });

  it.each(STOMP_VERSIONS)('decodes a stream of frames with destinations and ids from a small pool, however split (STOMP %s)', (version) => {
    const destination = fc.constantFrom('/queue/q', '/queue/q2', '/queue/a:b', '/queue/a\\b', '/queue/line\nbreak', '/queue/é', '/q');
    const id = fc.oneof(fc.nat().map(String), fc.constantFrom('a:b', 'x\\y', 'é', '12345678', '123456789'));
    const frame = fc.record({ command: fc.constantFrom('SEND', 'ACK', 'NACK'), destination, id });
    fc.assert(
      fc.property(fc.array(frame, { minLength: 1, maxLength: 8 }), fc.array(fc.nat(), { maxLength: 6 }), (frames, splits) => {
        // 1.0 cannot carry CR/LF in a header: the encoder replaces it, so compare with what it wrote.
        const carried = (text: string) => (version === '1.0' ? text.replace(/[\r\n]/g, ' ') : text);
        const bytes = Buffer.concat(
          frames.map((fr) => encodeFrame(fr.command, fr.command === 'SEND' ? { destination: fr.destination } : { id: fr.id }, undefined, version)),
        );
        const expected = frames.map((fr) =>
          fr.command === 'SEND'
            ? f('SEND', { destination: carried(fr.destination), 'content-length': '0' })
            : f(fr.command, { id: carried(fr.id) }),
        );
        const points = splits.map((p) => p % (bytes.length + 1)).sort((a, b) => a - b);
        expect(decodeChunks(splitAt(bytes, points), version).events).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });
});

describe('StompDecoder repeated content-type and content-length', () => {
  it('gives every frame its own content-type and body when they alternate, repeat and change length', () => {
    const types = ['text/plain', 'text/plain', 'text/plainer', 'application/json;charset=utf-8-and-a-long-tail-value', 'text/plain', 'a', 'a'];
    const bodies = ['abc', 'abc', 'abcd', 'x'.repeat(40), '', 'abc', 'ab'];
    const input = types.map((t, i) => `SEND\ndestination:/q\ncontent-type:${t}\ncontent-length:${bodies[i]!.length}\n\n${bodies[i]}\0`).join('');
    const expected = types.map((t, i) => f('SEND', { destination: '/q', 'content-type': t, 'content-length': String(bodies[i]!.length) }, bodies[i]));
    expectEverySplit(input, '1.2', expected);
  });

  it('unescapes a repeated escaped content-type per version and still rejects a bad one after it', () => {
    const frame = 'SEND\ncontent-type:text/x\\cy\n\n\0';
    expectEverySplit(frame + frame, '1.2', [f('SEND', { 'content-type': 'text/x:y' }), f('SEND', { 'content-type': 'text/x:y' })]);
    expectEverySplit(frame + frame, '1.0', [f('SEND', { 'content-type': 'text/x\\cy' }), f('SEND', { 'content-type': 'text/x\\cy' })]);
    expectEverySplit('SEND\ncontent-type:text/x\n\n\0SEND\ncontent-type:text/x\\t\n\n\0', '1.2', [f('SEND', { 'content-type': 'text/x' }), INVALID_ESCAPE]);
  });

  it('never hands back the bytes of a chunk the transport reuses', () => {
    const run = createRun('1.2');
    const long = 'application/something-longer-than-thirty-two-bytes';
    const chunk = Buffer.from(`SEND\ncontent-type:${long}\ncontent-length:1\n\nx\0`);
    run.decoder.write(chunk);
    chunk.write(`SEND\ncontent-type:${long.toUpperCase()}\ncontent-length:1\n\nx\0`);
    run.decoder.write(chunk);
    expect(run.events).toEqual([
      f('SEND', { 'content-type': long, 'content-length': '1' }, 'x'),
      f('SEND', { 'content-type': long.toUpperCase(), 'content-length': '1' }, 'x'),
    ]);
  });

  it.each(STOMP_VERSIONS)('decodes SENDs with content-types and bodies from a small pool, however split (STOMP %s)', (version) => {
    const contentType = fc.constantFrom('text/plain', 'text/plain;a=b:c', 'x\\y', 'é/ü', 'application/octet-stream-with-a-long-name');
    const body = fc.constantFrom('', 'a', 'abc', 'abd', 'b\0c', 'x'.repeat(33));
    fc.assert(
      fc.property(fc.array(fc.record({ contentType, body }), { minLength: 1, maxLength: 8 }), fc.array(fc.nat(), { maxLength: 6 }), (frames, splits) => {
        const bytes = Buffer.concat(frames.map((fr) => encodeFrame('SEND', { destination: '/q', 'content-type': fr.contentType }, fr.body, version)));
        const expected = frames.map((fr) =>
          f('SEND', { destination: '/q', 'content-type': fr.contentType, 'content-length': String(Buffer.byteLength(fr.body)) }, Buffer.from(fr.body).toString('latin1')),
        );
        const points = splits.map((p) => p % (bytes.length + 1)).sort((a, b) => a - b);
        expect(decodeChunks(splitAt(bytes, points), version).events).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });
});

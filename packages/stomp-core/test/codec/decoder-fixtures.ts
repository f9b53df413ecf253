// Byte-exact decoder fixtures (not a spec): input bytes and the exact reports expected.
import type { StompVersion } from '../../src/codec/stomp-frame.js';
import { StompErrorCode } from '../../src/errors/error-codes.js';
import { frameEvent as f, utf8, type DecodeEvent } from './decoder-harness.js';

export interface Fixture {
  name: string;
  input: string | Buffer;
  version?: StompVersion;
  expected: DecodeEvent[];
}

const HB: DecodeEvent = { type: 'heartbeat' };
const err = (code: string, name: 'StompProtocolError' | 'StompLimitError' = 'StompProtocolError'): DecodeEvent => ({
  type: 'error',
  code,
  name,
});
const MALFORMED = err(StompErrorCode.MALFORMED_FRAME);
const INVALID_ESCAPE = err(StompErrorCode.INVALID_ESCAPE);

// The STOMP 1.2 ERROR example body; the spec announces content-length:170 for it.
const SPEC_ERROR_BODY =
  'The message:\n-----\nMESSAGE\ndestined:/queue/a\nreceipt:message-12345\n\nHello queue a!\n-----\n' +
  'Did not contain a destination header, which is REQUIRED\nfor message propagation.\n';

/** Every client and server command, with a header and (where allowed) a body. */
export const COMMAND_FIXTURES: Fixture[] = [
  { name: 'CONNECT', input: 'CONNECT\naccept-version:1.2\nhost:h\n\n\0', expected: [f('CONNECT', { 'accept-version': '1.2', host: 'h' })] },
  { name: 'STOMP', input: 'STOMP\naccept-version:1.2\nhost:h\n\n\0', expected: [f('STOMP', { 'accept-version': '1.2', host: 'h' })] },
  { name: 'CONNECTED', input: 'CONNECTED\nversion:1.2\n\n\0', expected: [f('CONNECTED', { version: '1.2' })] },
  { name: 'SEND', input: 'SEND\ndestination:/q\n\nhi\0', expected: [f('SEND', { destination: '/q' }, 'hi')] },
  { name: 'SUBSCRIBE', input: 'SUBSCRIBE\nid:0\ndestination:/q\n\n\0', expected: [f('SUBSCRIBE', { id: '0', destination: '/q' })] },
  { name: 'UNSUBSCRIBE', input: 'UNSUBSCRIBE\nid:0\n\n\0', expected: [f('UNSUBSCRIBE', { id: '0' })] },
  { name: 'BEGIN', input: 'BEGIN\ntransaction:tx1\n\n\0', expected: [f('BEGIN', { transaction: 'tx1' })] },
  { name: 'COMMIT', input: 'COMMIT\ntransaction:tx1\n\n\0', expected: [f('COMMIT', { transaction: 'tx1' })] },
  { name: 'ABORT', input: 'ABORT\ntransaction:tx1\n\n\0', expected: [f('ABORT', { transaction: 'tx1' })] },
  { name: 'ACK', input: 'ACK\nid:12345\ntransaction:tx1\n\n\0', expected: [f('ACK', { id: '12345', transaction: 'tx1' })] },
  { name: 'NACK', input: 'NACK\nid:12345\n\n\0', expected: [f('NACK', { id: '12345' })] },
  { name: 'DISCONNECT', input: 'DISCONNECT\nreceipt:77\n\n\0', expected: [f('DISCONNECT', { receipt: '77' })] },
  { name: 'MESSAGE', input: 'MESSAGE\nsubscription:0\nmessage-id:1\ndestination:/q\n\nx\0', expected: [f('MESSAGE', { subscription: '0', 'message-id': '1', destination: '/q' }, 'x')] },
  { name: 'RECEIPT', input: 'RECEIPT\nreceipt-id:77\n\n\0', expected: [f('RECEIPT', { 'receipt-id': '77' })] },
  { name: 'ERROR', input: 'ERROR\nmessage:bad\n\ndetails\0', expected: [f('ERROR', { message: 'bad' }, 'details')] },
  { name: 'no headers at all', input: 'DISCONNECT\n\n\0', expected: [f('DISCONNECT', {})] },
  { name: 'unknown command (judged by the session, not the decoder)', input: 'FOO\n\n\0', expected: [f('FOO', {})] },
];

/** The examples printed in the STOMP 1.2 specification. */
export const SPEC_FIXTURES: Fixture[] = [
  {
    name: 'spec CONNECT',
    input: 'CONNECT\naccept-version:1.2\nhost:stomp.github.org\n\n\0',
    expected: [f('CONNECT', { 'accept-version': '1.2', host: 'stomp.github.org' })],
  },
  {
    name: 'spec SEND (body keeps its trailing EOL)',
    input: 'SEND\ndestination:/queue/a\ncontent-type:text/plain\n\nhello queue a\n\0',
    expected: [f('SEND', { destination: '/queue/a', 'content-type': 'text/plain' }, 'hello queue a\n')],
  },
  {
    name: 'spec SUBSCRIBE',
    input: 'SUBSCRIBE\nid:0\ndestination:/queue/foo\nack:client\n\n\0',
    expected: [f('SUBSCRIBE', { id: '0', destination: '/queue/foo', ack: 'client' })],
  },
  {
    name: 'spec MESSAGE',
    input: 'MESSAGE\nsubscription:0\nmessage-id:007\ndestination:/queue/a\ncontent-type:text/plain\n\nhello queue a\0\n\n',
    expected: [
      f('MESSAGE', { subscription: '0', 'message-id': '007', destination: '/queue/a', 'content-type': 'text/plain' }, 'hello queue a'),
      HB,
      HB,
    ],
  },
  {
    name: 'spec repeated header: first wins',
    input: 'MESSAGE\nfoo:World\nfoo:Hello\n\n\0',
    expected: [f('MESSAGE', { foo: 'World' })],
  },
  {
    name: 'spec ERROR with content-length:170',
    input: `ERROR\nreceipt-id:message-12345\ncontent-type:text/plain\ncontent-length:170\nmessage:malformed frame received\n\n${SPEC_ERROR_BODY}\0`,
    expected: [
      f(
        'ERROR',
        { 'receipt-id': 'message-12345', 'content-type': 'text/plain', 'content-length': '170', message: 'malformed frame received' },
        SPEC_ERROR_BODY,
      ),
    ],
  },
  {
    name: 'spec heart-beat CONNECT (1.1)',
    input: 'CONNECT\naccept-version:1.1\nhost:stomp.github.org\nheart-beat:1000,1000\n\n\0',
    version: '1.1',
    expected: [f('CONNECT', { 'accept-version': '1.1', host: 'stomp.github.org', 'heart-beat': '1000,1000' })],
  },
  {
    name: 'spec RECEIPT',
    input: 'RECEIPT\nreceipt-id:message-12345\n\n\0',
    expected: [f('RECEIPT', { 'receipt-id': 'message-12345' })],
  },
];

/** Framing details: EOLs, heart-beats, bodies, header parsing, escapes, malformed input. */
export const FRAMING_FIXTURES: Fixture[] = [
  {
    name: 'CRLF everywhere',
    input: 'SEND\r\ndestination:/q\r\ncontent-type:text/plain\r\n\r\nhello\0\r\n',
    expected: [f('SEND', { destination: '/q', 'content-type': 'text/plain' }, 'hello'), HB],
  },
  {
    name: 'mixed LF and CRLF lines',
    input: 'SEND\ndestination:/q\r\na:b\n\r\nx\0',
    expected: [f('SEND', { destination: '/q', a: 'b' }, 'x')],
  },
  {
    name: 'heart-beats before, between and after frames',
    input: '\n\r\n\nBEGIN\ntransaction:t\n\n\0\n\r\nCOMMIT\ntransaction:t\n\n\0\n',
    expected: [HB, HB, HB, f('BEGIN', { transaction: 't' }), HB, HB, f('COMMIT', { transaction: 't' }), HB],
  },
  { name: 'only heart-beats', input: '\n\n\r\n\n', expected: [HB, HB, HB, HB] },
  {
    name: 'several frames back to back',
    input: 'SEND\ndestination:/a\n\n1\0SEND\ndestination:/b\n\n2\0SEND\ndestination:/c\n\n3\0',
    expected: [f('SEND', { destination: '/a' }, '1'), f('SEND', { destination: '/b' }, '2'), f('SEND', { destination: '/c' }, '3')],
  },
  {
    name: 'content-length body with NULs',
    input: 'SEND\ndestination:/a\ncontent-length:5\n\na\0b\0c\0',
    expected: [f('SEND', { destination: '/a', 'content-length': '5' }, 'a\0b\0c')],
  },
  {
    name: 'content-length:0 and leading zeros',
    input: 'SEND\ncontent-length:0\n\n\0SEND\ncontent-length:003\n\n\0\0\0\0',
    expected: [f('SEND', { 'content-length': '0' }), f('SEND', { 'content-length': '003' }, '\0\0\0')],
  },
  {
    name: 'binary body (all byte values) with content-length',
    input: Buffer.concat([Buffer.from('SEND\ncontent-length:256\n\n'), Buffer.from(Array.from({ length: 256 }, (_, i) => i)), Buffer.from([0])]),
    expected: [f('SEND', { 'content-length': '256' }, Buffer.from(Array.from({ length: 256 }, (_, i) => i)).toString('latin1'))],
  },
  {
    name: 'body with LF and CR bytes is not EOL-processed',
    input: 'SEND\n\n\r\n\n\r\0',
    expected: [f('SEND', {}, '\r\n\n\r')],
  },
  {
    name: 'repeated content-length: first wins',
    input: 'SEND\ncontent-length:2\ncontent-length:5\n\n\0\0\0',
    expected: [f('SEND', { 'content-length': '2' }, '\0\0')],
  },
  { name: 'colon in value: split at the first colon', input: 'SEND\ndestination:/a:b:c\nx::\n\n\0', expected: [f('SEND', { destination: '/a:b:c', x: ':' })] },
  { name: 'empty value', input: 'SEND\nempty:\n\n\0', expected: [f('SEND', { empty: '' })] },
  {
    name: 'no trimming of names or values',
    input: 'SEND\n destination : /a \nx:\t\n\n\0',
    expected: [f('SEND', { ' destination ': ' /a ', x: '\t' })],
  },
  {
    name: 'header names that live on Object.prototype',
    input: 'SEND\n__proto__:p\nconstructor:c\ntoString:t\nhasOwnProperty:h\n\n\0',
    expected: [f('SEND', { ['__proto__']: 'p', constructor: 'c', toString: 't', hasOwnProperty: 'h' })],
  },
  {
    name: 'UTF-8 names and values',
    input: utf8('SEND\nclé:välue ✓ 😀\n\n\0'),
    expected: [f('SEND', { clé: 'välue ✓ 😀' })],
  },
  {
    name: 'CR inside a value (not at the line end) is kept',
    input: 'SEND\na:x\ry\n\n\0',
    expected: [f('SEND', { a: 'x\ry' })],
  },
  // Escapes per version (STOMP 1.1 / 1.2 "Value Encoding").
  { name: '1.0: no unescaping', version: '1.0', input: 'SEND\na\\nb:c\\cd\\\\\\t\\\n\n\0', expected: [f('SEND', { 'a\\nb': 'c\\cd\\\\\\t\\' })] },
  { name: '1.1: \\n \\c \\\\ decoded', version: '1.1', input: 'SEND\na\\cb:1\\n2\\c3\\\\4\n\n\0', expected: [f('SEND', { 'a:b': '1\n2:3\\4' })] },
  { name: '1.1: \\r is undefined', version: '1.1', input: 'SEND\na:1\\r2\n\n\0', expected: [INVALID_ESCAPE] },
  { name: '1.2: \\r decoded too', version: '1.2', input: 'SEND\na\\r:1\\r\\n2\n\n\0', expected: [f('SEND', { 'a\r': '1\r\n2' })] },
  { name: '1.2: \\t is undefined', input: 'SEND\na:1\\t2\n\n\0', expected: [INVALID_ESCAPE] },
  { name: '1.2: undefined escape in a name', input: 'SEND\na\\x:1\n\n\0', expected: [INVALID_ESCAPE] },
  { name: '1.2: trailing lone backslash', input: 'SEND\na:1\\\n\n\0', expected: [INVALID_ESCAPE] },
  { name: '1.2: escapes are decoded after the first-colon split', input: 'SEND\na\\c:b\\c\n\n\0', expected: [f('SEND', { 'a:': 'b:' })] },
  {
    name: '1.2: an escaped colon and a raw colon make different names',
    input: 'SEND\na\\cb:first\na:b:second\n\n\0',
    expected: [f('SEND', { 'a:b': 'first', a: 'b:second' })],
  },
  { name: '1.2: CONNECT is never unescaped', input: 'CONNECT\nlogin:a\\cb\npasscode:x\\ty\\\n\n\0', expected: [f('CONNECT', { login: 'a\\cb', passcode: 'x\\ty\\' })] },
  { name: '1.1: STOMP is never unescaped', version: '1.1', input: 'STOMP\nlogin:a\\r\n\n\0', expected: [f('STOMP', { login: 'a\\r' })] },
  { name: '1.2: CONNECTED is never unescaped', input: 'CONNECTED\nserver:x\\y\n\n\0', expected: [f('CONNECTED', { server: 'x\\y' })] },
  // Malformed input.
  { name: 'header line without colon', input: 'SEND\ndestination\n\n\0', expected: [MALFORMED] },
  { name: 'header line with empty name', input: 'SEND\n:value\n\n\0', expected: [MALFORMED] },
  { name: 'content-length not a number', input: 'SEND\ncontent-length:abc\n\n\0', expected: [MALFORMED] },
  { name: 'content-length negative', input: 'SEND\ncontent-length:-1\n\n\0', expected: [MALFORMED] },
  { name: 'content-length empty', input: 'SEND\ncontent-length:\n\n\0', expected: [MALFORMED] },
  { name: 'content-length with a space', input: 'SEND\ncontent-length: 1\n\nx\0', expected: [MALFORMED] },
  { name: 'content-length fractional', input: 'SEND\ncontent-length:1.0\n\nx\0', expected: [MALFORMED] },
  { name: 'body longer than content-length', input: 'SEND\ncontent-length:1\n\nxy\0', expected: [MALFORMED] },
  { name: 'NUL inside the header block', input: 'SEND\ndestination:/a\0\n\n\0', expected: [MALFORMED] },
  { name: 'NUL as a command', input: '\0\n\n\0', expected: [MALFORMED] },
  { name: 'lone CR between frames', input: '\rSEND\n\n\0', expected: [MALFORMED] },
  {
    name: 'frames before an error are delivered, nothing after it',
    input: 'SEND\n\na\0\nBAD\nnocolon\n\n\0SEND\n\nb\0',
    expected: [f('SEND', {}, 'a'), HB, MALFORMED],
  },
];

export const ALL_FIXTURES: Fixture[] = [...COMMAND_FIXTURES, ...SPEC_FIXTURES, ...FRAMING_FIXTURES];

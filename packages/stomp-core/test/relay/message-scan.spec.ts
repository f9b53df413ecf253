import fc from 'fast-check';
import { StompDecoder } from '../../src/codec/stomp-decoder.js';
import type { StompFrame } from '../../src/codec/stomp-frame.js';
import { scanMessage, scannedMessage } from '../../src/relay/message-scan.js';

// scanMessage() must never accept what the decoder reads differently: when it accepts a frame, the
// decoder reads exactly one MESSAGE there, without error, ending where the scan says, with the same
// subscription, message-id and ack values and the same destination and receipt presence.

const LIMITS = { maxFrameSize: 4096, maxHeaders: 12, maxHeaderLength: 80 };

function decodeAll(bytes: Buffer): { frames: StompFrame[]; errors: number; ends: number[] } {
  const frames: StompFrame[] = [];
  const ends: number[] = [];
  let errors = 0;
  const decoder: StompDecoder = new StompDecoder(
    {
      onFrame: (frame) => {
        frames.push(frame);
        const view = decoder.frameView();
        ends.push(view === undefined ? -1 : view.byteOffset - bytes.byteOffset + view.length);
      },
      onHeartbeat: () => undefined,
      onError: () => errors++,
    },
    { limits: LIMITS },
  );
  decoder.write(bytes);
  return { frames, errors, ends };
}

const piece = fc.constantFrom(
  'MESSAGE', 'MESSAGEX', 'SEND', 'subscription', 'message-id', 'ack', 'destination', 'receipt', 'content-length',
  'x-h', ':', '::', '\\', '\\c', '\n', '\r\n', '\r', '\0', '0', '5', '12', 'abc', 'é', ' ', '00', '-1',
);
/** Mostly well-formed MESSAGE heads with known headers, plus raw noise. */
const lineArb = fc.oneof(
  fc.tuple(fc.constantFrom('subscription', 'message-id', 'ack', 'destination', 'receipt', 'content-length', 'x-h', 'redelivered'), fc.array(piece, { maxLength: 3 }))
    .map(([name, value]) => `${name}:${value.join('')}`),
  fc.array(piece, { minLength: 1, maxLength: 4 }).map((p) => p.join('')),
);
const frameArb = fc
  .tuple(
    fc.constantFrom('MESSAGE\n', 'MESSAGE\r\n', 'MESSAGE \n', 'SEND\n'),
    fc.array(lineArb, { maxLength: 8 }),
    fc.constantFrom('\n', '\r\n'),
    fc.oneof(fc.constant(''), fc.string({ maxLength: 10 }), fc.constantFrom('a\0b', '\0', 'hello')),
    fc.constantFrom('\0', '', '\0\n', 'x\0'),
    fc.boolean(),
  )
  .map(([command, lines, eol, body, tail, withLength]) => {
    const bodyBytes = Buffer.from(body, 'latin1');
    const head = command + lines.map((l) => `${l}${eol}`).join('') + (withLength ? `content-length:${bodyBytes.length}${eol}` : '') + eol;
    return Buffer.concat([Buffer.from(head, 'utf8'), bodyBytes, Buffer.from(tail, 'latin1')]);
  });

function firstValue(raw: Buffer, name: string): string | undefined {
  // Values the scan may report hold no backslash: as on the wire.
  const head = raw.toString('utf8');
  for (const line of head.split('\n').slice(1)) {
    const text = line.endsWith('\r') ? line.slice(0, -1) : line;
    if (text === '') break;
    const colon = text.indexOf(':');
    if (colon > 0 && text.slice(0, colon) === name) return text.slice(colon + 1);
  }
  return undefined;
}

describe('scanMessage', () => {
  it('accepts only what the decoder reads as one MESSAGE ending there, with the same headers', () => {
    let accepted = 0;
    fc.assert(
      fc.property(frameArb, fc.nat(40), (frame, cut) => {
        // Sometimes the read ends inside the frame.
        const bytes = cut < 30 ? frame : frame.subarray(0, Math.max(0, frame.length - cut + 30));
        const scan = scannedMessage();
        if (!scanMessage(bytes, 0, bytes.length, LIMITS, scan)) return;
        accepted++;
        const { frames, errors, ends } = decodeAll(bytes.subarray(0, scan.end));
        expect(errors).toBe(0);
        expect(frames).toHaveLength(1);
        expect(ends).toEqual([scan.end]);
        const h = frames[0]!.headers;
        expect(frames[0]!.command).toBe('MESSAGE');
        const value = (s: number, e: number) => (s < 0 ? undefined : bytes.toString('utf8', s, e));
        expect(value(scan.subscriptionStart, scan.subscriptionEnd)).toBe(h.subscription);
        expect(value(scan.messageIdStart, scan.messageIdEnd)).toBe(h['message-id']);
        expect(value(scan.ackStart, scan.ackEnd)).toBe(h.ack);
        expect(scan.hasDestination).toBe(h.destination !== undefined);
        expect(scan.hasReceipt).toBe(h.receipt !== undefined);
        expect(firstValue(bytes, 'subscription')).toBe(h.subscription);
      }),
      { numRuns: 3000 },
    );
    expect(accepted).toBeGreaterThan(100); // the property was not checked on nothing
  });

  it('reads a RabbitMQ MESSAGE, and declines one cut short, one with an escape, and other commands', () => {
    const frame = Buffer.from(
      'MESSAGE\nsubscription:sub-1\ndestination:/topic/a\nmessage-id:T_sub-1@@session-x@@7\nredelivered:false\ncontent-length:5\n\nhe\0lo\0',
      'latin1',
    );
    const scan = scannedMessage();
    expect(scanMessage(frame, 0, frame.length, LIMITS, scan)).toBe(true);
    expect(scan.end).toBe(frame.length);
    expect(frame.toString('latin1', scan.subscriptionStart, scan.subscriptionEnd)).toBe('sub-1');
    expect(scan.ackStart).toBe(-1);
    expect(scan.hasDestination && !scan.hasReceipt).toBe(true);
    expect(scanMessage(frame, 0, frame.length - 1, LIMITS, scan)).toBe(false);
    const escaped = Buffer.from('MESSAGE\nsubscription:a\\cb\n\n\0', 'latin1');
    expect(scanMessage(escaped, 0, escaped.length, LIMITS, scan)).toBe(false);
    const receipt = Buffer.from('RECEIPT\nreceipt-id:1\n\n\0', 'latin1');
    expect(scanMessage(receipt, 0, receipt.length, LIMITS, scan)).toBe(false);
  });
});

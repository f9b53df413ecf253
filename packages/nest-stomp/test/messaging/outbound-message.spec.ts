import { toOutboundMessage } from '../../src/context/outbound-message.js';
import { StompRecord, StompRecordBuilder } from '../../src/index.js';

describe('toOutboundMessage (the one outbound conversion)', () => {
  it('converts by type: object → JSON, string → text, Buffer and Uint8Array → bytes', () => {
    expect(toOutboundMessage({ a: 1 })).toEqual({ body: Buffer.from('{"a":1}'), headers: { 'content-type': 'application/json' } });
    expect(toOutboundMessage('hé').headers['content-type']).toBe('text/plain;charset=utf-8');
    expect(toOutboundMessage('hé').body).toEqual(Buffer.from('hé', 'utf8'));
    const bytes = new Uint8Array([9, 8, 7]).subarray(1);
    expect(toOutboundMessage(bytes)).toEqual({ body: Buffer.from([8, 7]), headers: { 'content-type': 'application/octet-stream' } });
    expect(toOutboundMessage(0).body.toString()).toBe('0');
    expect(toOutboundMessage(false).body.toString()).toBe('false');
  });

  it('applies headers in order: converter, record, call', () => {
    const record = new StompRecord('x', { 'content-type': 'text/csv', 'x-a': 'record', 'x-b': 'record' });
    expect(toOutboundMessage(record, { 'x-b': 'call', 'x-c': 3 }).headers).toEqual({
      'content-type': 'text/csv',
      'x-a': 'record',
      'x-b': 'call',
      'x-c': '3',
    });
  });

  it('keeps a __proto__ header as a plain header (no prototype change)', () => {
    const headers = JSON.parse('{"__proto__": "p"}') as Record<string, string>;
    const out = toOutboundMessage('x', headers).headers;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toEqual(['content-type', '__proto__']);
  });

  it('refuses a missing payload (also inside a record), an empty header name, server-owned headers', () => {
    expect(() => toOutboundMessage(new StompRecord(undefined))).toThrow(/needs a payload/);
    expect(() => toOutboundMessage('x', { '': 'v' })).toThrow(/needs a name/);
    for (const name of ['destination', 'content-length', 'message-id', 'subscription', 'ack', 'receipt', 'transaction']) {
      expect(() => toOutboundMessage('x', { [name]: 'v' })).toThrow(new TypeError(`Header '${name}' is set by the server; a message may not carry it`));
    }
  });
});

describe('StompRecordBuilder', () => {
  it('builds records that do not change when the builder goes on', () => {
    const builder = new StompRecordBuilder<string>().setPayload('a').setHeaders({ x: '1' });
    const first = builder.build();
    builder.setHeader('y', 2).setPayload('b');
    const second = builder.build();
    expect(first).toEqual(new StompRecord('a', { x: '1' }));
    expect(second).toEqual(new StompRecord('b', { x: '1', y: 2 }));
    expect(first).toBeInstanceOf(StompRecord);
  });
});

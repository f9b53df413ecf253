#!/usr/bin/env node
// Self-test of the generator's stream readers: a stream of STOMP frames, wrapped in WebSocket
// frames of every length class, is fed in pieces split at every possible offset; the frames read
// back must be exactly the frames written.   node bench/tools/selftest.mjs
import assert from 'node:assert/strict';
import { FrameReader, frame, headerValue } from '../lib/stomp-wire.mjs';
import { WsReader } from '../lib/ws-wire.mjs';

const frames = [
  frame('MESSAGE', { destination: '/topic/a', 'message-id': '1', ack: 'x1' }, 'x'.repeat(128)),
  frame('RECEIPT', { 'receipt-id': 'r' }),
  frame('MESSAGE', { destination: '/queue/b', 'message-id': '2' }, 'y'.repeat(300)),
  frame('MESSAGE', { destination: '/queue/c', 'message-id': '3' }, 'z'.repeat(70_000)),
];
const stomp = Buffer.concat([Buffer.from('\n'), frames[0], Buffer.from('\r\n'), ...frames.slice(1)]);
const expected = frames.map((f) => f.subarray(0, f.length - 1).toString('latin1'));

/** Server (unmasked) WebSocket frame. */
function serverFrame(payload, opcode = 0x1) {
  const n = payload.length;
  const head = n < 126 ? Buffer.from([0x80 | opcode, n])
    : n < 65536 ? Buffer.from([0x80 | opcode, 126, n >> 8, n & 255])
    : Buffer.concat([Buffer.from([0x80 | opcode, 127]), (() => { const b = Buffer.alloc(8); b.writeBigUInt64BE(BigInt(n)); return b; })()]);
  return Buffer.concat([head, payload]);
}
// Frames spread over messages of every length class, a ping in the middle.
const ws = Buffer.concat([
  serverFrame(stomp.subarray(0, 50)),
  serverFrame(Buffer.from('hi'), 0x9),
  serverFrame(stomp.subarray(50, 600)),
  serverFrame(stomp.subarray(600)),
]);

function readAll(pieces, viaWs) {
  const got = [];
  const pongs = [];
  const reader = new FrameReader((buf, start, nul) => got.push(buf.toString('latin1', start, nul)));
  const socket = { write: (b) => pongs.push(b) };
  const wsReader = new WsReader(socket, (p) => reader.push(p), () => {});
  for (const piece of pieces) (viaWs ? wsReader : reader).push(Buffer.from(piece)); // copies: readers may keep views
  return { got, pongs };
}

let cases = 0;
for (const [name, data, viaWs] of [['stomp', stomp, false], ['ws', ws, true]]) {
  const step = Math.max(1, Math.floor(data.length / 3000));
  for (let cut = 1; cut < data.length; cut += step) {
    for (const cut2 of [cut + 1, cut + 7, cut + 70_001]) {
      const pieces = [data.subarray(0, cut), data.subarray(cut, cut2), data.subarray(cut2)].filter((p) => p.length);
      const { got, pongs } = readAll(pieces, viaWs);
      assert.deepEqual(got, expected, `${name} split at ${cut}/${cut2}`);
      if (viaWs) assert.equal(pongs.length, 1, 'one pong for the ping');
      cases++;
    }
  }
}
const [m] = frames;
assert.equal(headerValue(m, 0, m.length - 1, 'ack'), 'x1');
assert.equal(headerValue(m, 0, m.length - 1, 'nope'), undefined);
console.log(`selftest: ${cases} split cases OK`);

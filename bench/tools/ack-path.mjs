#!/usr/bin/env node
// The client-ack path in one process, without sockets: a producer session SENDs 128-byte bodies
// to a queue, a client-individual consumer session receives the MESSAGEs and ACKs each one, both
// through in-memory StompConnections of the built StompServer. No load generator, no kernel,
// no scheduler: its time (or `perf stat -e instructions`) is a before/after figure for the
// server's own SEND → MESSAGE → ACK work that does not depend on what else the machine runs.
//   npm run build && node bench/tools/ack-path.mjs [--messages 300000] [--batch 100] [--runs 5]
//   perf stat -e instructions:u node bench/tools/ack-path.mjs --runs 1
import { parseArgs } from 'node:util';
import { StompServer } from '../../packages/stomp-core/dist/index.js';

const { values } = parseArgs({
  options: {
    messages: { type: 'string', default: '300000' },
    batch: { type: 'string', default: '100' },
    runs: { type: 'string', default: '5' },
  },
});
const MESSAGES = Number(values.messages);
const BATCH = Number(values.batch);
const RUNS = Number(values.runs);

/** An in-memory StompConnection: written bytes are collected, inbound bytes are pushed by the caller. */
class MemoryConnection {
  transport = 'memory';
  remoteAddress = '127.0.0.1';
  bufferedAmount = 0;
  events;
  out = [];
  bind(events) {
    this.events = events;
  }
  write(chunk) {
    this.out.push(chunk);
    return true;
  }
  take() {
    const out = this.out.length === 1 ? this.out[0] : Buffer.concat(this.out);
    this.out = [];
    return out;
  }
  pause() {}
  resume() {}
  end() {}
  destroy() {}
}

const turn = () => new Promise((resolve) => setImmediate(resolve));
const ACK_NEEDLE = Buffer.from('\nack:');
const ACK_HEAD = Buffer.from('ACK\nid:');
const ACK_TAIL = Buffer.from('\n\n\0');

/** ACK frames (one chunk) for every MESSAGE in `bytes`, as the bench generator builds them. */
function acksFor(bytes) {
  const parts = [];
  let count = 0;
  for (let at = bytes.indexOf(ACK_NEEDLE); at !== -1; at = bytes.indexOf(ACK_NEEDLE, at + 1)) {
    const from = at + ACK_NEEDLE.length;
    const to = bytes.indexOf(10, from);
    parts.push(ACK_HEAD, bytes.subarray(from, to), ACK_TAIL);
    count++;
  }
  return { chunk: Buffer.concat(parts), count };
}

async function run() {
  const server = new StompServer({ heartbeat: [0, 0] });
  const producer = new MemoryConnection();
  const consumer = new MemoryConnection();
  server.handle(producer);
  const consumerSession = server.handle(consumer);
  const connect = Buffer.from('CONNECT\naccept-version:1.2\nhost:x\nheart-beat:0,0\n\n\0');
  producer.events.data(connect);
  consumer.events.data(connect);
  consumer.events.data(
    Buffer.from('SUBSCRIBE\nid:0\ndestination:/queue/ack.path\nack:client-individual\nprefetch-count:1000\nreceipt:r\n\n\0'),
  );
  await turn();
  producer.take();
  consumer.take();
  const body = Buffer.alloc(128, 120);
  const send = Buffer.concat([Buffer.from('SEND\ndestination:/queue/ack.path\ncontent-length:128\n\n'), body, Buffer.from([0])]);
  const batch = Buffer.concat(Array.from({ length: BATCH }, () => send));
  let acked = 0;
  const started = process.hrtime.bigint();
  for (let sent = 0; sent < MESSAGES; sent += BATCH) {
    producer.events.data(batch);
    await turn();
    const { chunk, count } = acksFor(consumer.take());
    consumer.events.data(chunk);
    acked += count;
  }
  const ns = Number(process.hrtime.bigint() - started);
  const pending = server.broker.pendingCount(consumerSession);
  if (acked !== MESSAGES || pending !== 0) throw new Error(`acked ${acked} of ${MESSAGES}, ${pending} still pending`);
  await server.close();
  return ns / MESSAGES;
}

const results = [];
for (let i = 0; i < RUNS; i++) results.push(await run());
const sorted = [...results].sort((a, b) => a - b);
console.log(
  `ack path: ${MESSAGES} × (SEND → MESSAGE → ACK), batches of ${BATCH}: ` +
    `median ${sorted[Math.floor(RUNS / 2)].toFixed(0)} ns/message (runs: ${results.map((r) => r.toFixed(0)).join(', ')})`,
);

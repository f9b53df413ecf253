#!/usr/bin/env node
// The client-ack path in one process, without sockets: a producer session SENDs 128-byte bodies
// to a queue, a client-individual consumer session receives the MESSAGEs and ACKs each one, both
// through in-memory StompConnections of the built StompServer. No load generator, no kernel,
// no scheduler: its time (or `perf stat -e instructions`) is a before/after figure for the
// server's own SEND → MESSAGE → ACK work that does not depend on what else the machine runs.
// `--inflight N` holds the ACKs back so about N deliveries stay unacknowledged, as with the shared
// harness's prefetch 1000: what is pending must survive garbage collections, which changes their
// cost. The GC share (time in GC pauses / run time, from PerformanceObserver) is printed too; run
// under `--trace-gc-nvp` for allocated and promoted bytes.
//   npm run build && node bench/tools/ack-path.mjs [--messages 300000] [--batch 100] [--inflight 0] [--runs 5]
//   perf stat -e instructions:u node bench/tools/ack-path.mjs --runs 1
import { PerformanceObserver } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { StompServer } from '../../packages/stomp-core/dist/index.js';

const { values } = parseArgs({
  options: {
    messages: { type: 'string', default: '300000' },
    batch: { type: 'string', default: '100' },
    runs: { type: 'string', default: '5' },
    inflight: { type: 'string', default: '0' },
  },
});
const INFLIGHT = Number(values.inflight);
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
  // The shared harness's SEND: destination, content-type, content-length.
  const send = Buffer.concat([
    Buffer.from('SEND\ndestination:/queue/ack.path\ncontent-type:text/plain\ncontent-length:128\n\n'),
    body,
    Buffer.from([0]),
  ]);
  const batch = Buffer.concat(Array.from({ length: BATCH }, () => send));
  let acked = 0;
  // ACK chunks not sent yet, oldest first, and the deliveries they cover.
  const held = [];
  let heldCount = 0;
  gcNs = 0;
  const started = process.hrtime.bigint();
  const cpuStarted = process.cpuUsage();
  for (let sent = 0; sent < MESSAGES; sent += BATCH) {
    producer.events.data(batch);
    await turn();
    const acks = acksFor(consumer.take());
    held.push(acks);
    heldCount += acks.count;
    while (held.length > 0 && (heldCount >= INFLIGHT || sent + BATCH >= MESSAGES)) {
      const { chunk, count } = held.shift();
      heldCount -= count;
      consumer.events.data(chunk);
      acked += count;
    }
  }
  const ns = Number(process.hrtime.bigint() - started);
  const cpu = process.cpuUsage(cpuStarted);
  cpuNs.push(((cpu.user + cpu.system) * 1000) / MESSAGES);
  await turn(); // the last GC entries arrive asynchronously
  gcShares.push(gcNs / ns);
  const pending = server.broker.pendingCount(consumerSession);
  if (acked !== MESSAGES || pending !== 0) throw new Error(`acked ${acked} of ${MESSAGES}, ${pending} still pending`);
  await server.close();
  return ns / MESSAGES;
}

let gcNs = 0;
const gcShares = [];
/** CPU time (all threads: the GC helpers too) per message: what other processes on the machine change least. */
const cpuNs = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) gcNs += entry.duration * 1e6;
}).observe({ entryTypes: ['gc'] });

const results = [];
for (let i = 0; i < RUNS; i++) results.push(await run());
const sorted = [...results].sort((a, b) => a - b);
console.log(
  `ack path: ${MESSAGES} × (SEND → MESSAGE → ACK), batches of ${BATCH}, ${INFLIGHT} in flight: ` +
    `median ${sorted[Math.floor(RUNS / 2)].toFixed(0)} ns/message (runs: ${results.map((r) => r.toFixed(0)).join(', ')}), ` +
    `CPU ${cpuNs.map((c) => c.toFixed(0)).join(', ')} ns/message, GC share ${gcShares.map((g) => `${(g * 100).toFixed(0)}%`).join(', ')}`,
);

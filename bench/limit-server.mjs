#!/usr/bin/env node
// The "limit" server: the least work a Node process can do for the bench's STOMP traffic, as the
// ceiling our server is compared with. Reads frames to NUL, answers CONNECT and receipts, builds ONE
// MESSAGE buffer per SEND (all but the `subscription` header, which is a per-subscription buffer
// built once) and hands it to every subscriber of the destination (round-robin for /queue/),
// coalescing the writes per subscriber per event-loop turn (one write of the concatenated frames
// on TCP — `--cork` for cork/uncork instead — and one ws.send of them on WebSocket). ACK/NACK are
// dropped; no flow control, no validation, no heart-beats. Not a broker: only for the bench.
//
//   node --expose-gc bench/limit-server.mjs   → prints {"tcp":PORT,"ws":PORT,"path":"/ws","pid":PID}
// SIGUSR2 runs gc() (for memory readings), SIGTERM exits.
// Test only: --drop-every N / --dup-every N drop or duplicate every Nth delivery, to check that
// the generator reports the loss (see README).
import net from 'node:net';
import { WebSocketServer } from 'ws';
import { exitWithParent } from './lib/orphan-guard.mjs';
import { FrameReader } from './lib/stomp-wire.mjs';

const HOST = '127.0.0.1';
const WS_PATH = '/ws';
const LF = 10;
const CONNECTED = Buffer.from('CONNECTED\nversion:1.2\nheart-beat:0,0\nserver:limit\n\n\0');

const destinations = new Map(); // name → { queue: boolean, subs: Sub[], next: number }
let messageId = 0;
const corkTcp = process.argv.includes('--cork');
const fault = { drop: argNumber('--drop-every'), dup: argNumber('--dup-every'), count: 0 };

function argNumber(name) {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : 0;
}

// ---- output: one flush per subscriber per turn --------------------------------------------------
let dirty = [];
function flushAll() {
  const list = dirty;
  dirty = [];
  for (const conn of list) {
    const out = conn.out;
    conn.out = [];
    conn.dirty = false;
    if (conn.closed) continue;
    if (conn.ws) {
      conn.ws.send(out.length === 1 ? out[0] : Buffer.concat(out), { binary: false });
    } else if (corkTcp) {
      conn.socket.cork();
      for (const b of out) conn.socket.write(b);
      conn.socket.uncork();
    } else {
      // One copy into one buffer and one write: cheaper than cork/uncork, whose stream bookkeeping
      // per chunk (two chunks per delivery here) costs more than copying ~200 bytes.
      conn.socket.write(out.length === 1 ? out[0] : Buffer.concat(out));
    }
    if (conn.endAfterFlush) conn.ws ? conn.ws.close() : conn.socket.end();
  }
}
/** Queues one frame (given as one or two buffers) for the connection's next flush. */
function enqueue(conn, a, b) {
  if (fault.drop || fault.dup) {
    const n = ++fault.count;
    if (fault.drop && n % fault.drop === 0) return;
    if (fault.dup && n % fault.dup === 0) b === undefined ? conn.out.push(a) : conn.out.push(a, b);
  }
  if (b === undefined) conn.out.push(a);
  else conn.out.push(a, b);
  if (!conn.dirty) {
    conn.dirty = true;
    if (dirty.push(conn) === 1) setImmediate(flushAll);
  }
}

// ---- frames -----------------------------------------------------------------------------------
function newConnection(transport) {
  const conn = { ...transport, out: [], dirty: false, subs: new Map(), closed: false, endAfterFlush: false };
  conn.reader = new FrameReader((buf, start, nul) => onFrame(conn, buf, start, nul));
  return conn;
}

function onFrame(conn, buf, start, nul) {
  // Headers we care about, scanned line by line (no regex, no strings but the values we use).
  let cmdEnd = buf.indexOf(LF, start);
  if (cmdEnd < 0 || cmdEnd > nul) cmdEnd = nul;
  const c0 = buf[start];
  const c1 = buf[start + 1];
  let destination;
  let receipt;
  let id;
  let ack;
  let line = cmdEnd + 1;
  let body = nul;
  while (line < nul) {
    if (buf[line] === LF || buf[line] === 13) {
      body = buf[line] === LF ? line + 1 : line + 2;
      break;
    }
    let end = buf.indexOf(LF, line);
    if (end < 0 || end > nul) end = nul;
    const valueEnd = buf[end - 1] === 13 ? end - 1 : end;
    const h = buf[line];
    if (h === 100 /* d */ && buf[line + 11] === 58) destination ??= buf.toString('latin1', line + 12, valueEnd);
    else if (h === 114 /* r */ && buf[line + 7] === 58) receipt ??= buf.toString('latin1', line + 8, valueEnd);
    else if (h === 105 /* i */ && buf[line + 2] === 58) id ??= buf.toString('latin1', line + 3, valueEnd);
    else if (h === 97 /* a */ && buf[line + 3] === 58) ack ??= buf.toString('latin1', line + 4, valueEnd);
    line = end + 1;
  }

  if (c0 === 83 /* S */ && c1 === 69 /* E */) send(destination, buf, body, nul);
  else if (c0 === 83 && c1 === 85 /* U */) subscribe(conn, id, destination, ack);
  else if (c0 === 85 /* UNSUBSCRIBE */) unsubscribe(conn, id);
  else if (c0 === 67 /* CONNECT */ || (c0 === 83 && c1 === 84 /* STOMP */)) enqueue(conn, CONNECTED);
  else if (c0 === 68 /* DISCONNECT */) conn.endAfterFlush = true;
  // ACK, NACK, BEGIN, COMMIT, ABORT: dropped.
  if (receipt !== undefined) {
    enqueue(conn, Buffer.from(`RECEIPT\nreceipt-id:${receipt}\n\n\0`, 'latin1'));
  }
}

function send(destination, buf, body, nul) {
  const dest = destinations.get(destination);
  if (!dest || dest.subs.length === 0) return;
  const mid = ++messageId;
  // One buffer per message holds everything but the `subscription` header; each subscription has
  // its "MESSAGE\nsubscription:<id>\n" head built once. A delivery is those two buffers: nothing
  // is encoded or allocated per subscriber.
  if (dest.queue) {
    const sub = dest.subs[dest.next++ % dest.subs.length];
    enqueue(sub.conn, sub.head, rest(destination, mid, !sub.auto, buf, body, nul));
    return;
  }
  let plain;
  let acked;
  for (const sub of dest.subs) {
    const tail = sub.auto
      ? (plain ??= rest(destination, mid, false, buf, body, nul))
      : (acked ??= rest(destination, mid, true, buf, body, nul));
    enqueue(sub.conn, sub.head, tail);
  }
}

/** The MESSAGE after its `subscription` header: message-id (also the ack id), destination, body. */
function rest(destination, mid, withAck, buf, body, nul) {
  const head = `message-id:${mid}\n${withAck ? `ack:${mid}\n` : ''}destination:${destination}\ncontent-length:${nul - body}\n\n`;
  const out = Buffer.allocUnsafe(head.length + (nul - body) + 1);
  const n = out.write(head, 0, 'latin1');
  buf.copy(out, n, body, nul);
  out[out.length - 1] = 0;
  return out;
}

function subscribe(conn, id, destination, ack) {
  if (id === undefined || destination === undefined) return;
  let dest = destinations.get(destination);
  if (!dest) {
    dest = { queue: destination.startsWith('/queue/'), subs: [], next: 0 };
    destinations.set(destination, dest);
  }
  const auto = ack === undefined || ack === 'auto';
  const sub = { conn, id, destination, auto, head: Buffer.from(`MESSAGE\nsubscription:${id}\n`, 'latin1') };
  conn.subs.set(id, sub);
  dest.subs.push(sub);
}

function unsubscribe(conn, id) {
  const sub = conn.subs.get(id);
  if (!sub) return;
  conn.subs.delete(id);
  const dest = destinations.get(sub.destination);
  dest.subs.splice(dest.subs.indexOf(sub), 1);
}

function closed(conn) {
  if (conn.closed) return;
  conn.closed = true;
  for (const id of [...conn.subs.keys()]) unsubscribe(conn, id);
}

// ---- listeners --------------------------------------------------------------------------------
const tcp = net.createServer((socket) => {
  socket.setNoDelay(true);
  const conn = newConnection({ socket });
  socket.on('data', (chunk) => conn.reader.push(chunk));
  socket.on('error', () => {});
  socket.on('close', () => closed(conn));
});
await new Promise((resolve) => tcp.listen(0, HOST, resolve));

const wss = new WebSocketServer({
  host: HOST,
  port: 0,
  path: WS_PATH,
  perMessageDeflate: false,
  handleProtocols: (protocols) => ['v12.stomp', 'v11.stomp', 'v10.stomp'].find((p) => protocols.has(p)) ?? false,
});
wss.on('connection', (ws) => {
  ws._socket.setNoDelay(true);
  const conn = newConnection({ ws });
  ws.on('message', (data) => conn.reader.push(data));
  ws.on('error', () => {});
  ws.on('close', () => closed(conn));
});
await new Promise((resolve) => wss.once('listening', resolve));

process.on('SIGUSR2', () => globalThis.gc?.());
exitWithParent();
process.on('SIGTERM', () => process.exit(0));
process.on('SIGINT', () => process.exit(0));
console.log(JSON.stringify({ tcp: tcp.address().port, ws: wss.address().port, path: WS_PATH, pid: process.pid }));

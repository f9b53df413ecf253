// Runs one throughput or latency scenario against one server: connects consumers (SUBSCRIBE
// confirmed by RECEIPT), then producers, pumps for warmup + measure, drains, and checks every
// message arrived exactly once where it should.
import { setTimeout as sleep } from 'node:timers/promises';
import { StompClient } from './client.mjs';
import { BODY_SIZE, bodyTemplate, isBody, nowMicros, readMicros, readProducer, readSeq, stamp } from './payload.mjs';
import { CpuMeter, round1 } from './proc-stats.mjs';
import { bodyStart, frame, subscribeFrame } from './stomp-wire.mjs';
import { Tracker } from './tracker.mjs';
import { wsHeader } from './ws-wire.mjs';

const BATCH = 128; // SEND frames per socket write at most
const ACK_NEEDLE = Buffer.from('\nack:');
const ACK_HEAD = Buffer.from('ACK\nid:');
const ACK_TAIL = Buffer.from('\n\n\0');

/** With fresh destination names: the queue arguments on SUBSCRIBE and SEND (RabbitMQ drops an unused queue after a minute). */
const QUEUE_EXPIRY = { 'x-expires': '60000' };

/**
 * @param scenario  an entry of SCENARIOS
 * @param target    { transport, host, port, path }
 * @param opts      { duration, warmup, window, serverPid, drainTimeout, stallTimeout, destSuffix }
 */
export async function runFlow(scenario, target, opts) {
  const dests = scenario.destinations();
  if (opts.destSuffix) for (const d of dests) d.name += opts.destSuffix;
  const producers = [];
  const consumers = [];
  let producerCount = 0;
  for (const d of dests) {
    d.producerIds = Array.from({ length: d.producers }, () => producerCount++);
  }
  for (const d of dests) {
    d.trackers = d.kind === 'queue' ? [new Tracker(producerCount)] : [];
    for (let c = 0; c < d.consumers; c++) {
      const tracker = d.kind === 'queue' ? d.trackers[0] : new Tracker(producerCount);
      if (d.kind === 'topic') d.trackers.push(tracker);
      consumers.push({ dest: d, tracker, client: new StompClient(target) });
    }
    for (const id of d.producerIds) producers.push({ id, dest: d, sent: 0, blocked: false, client: new StompClient(target) });
  }

  const state = { running: false, measuring: false, delivered: 0, foreign: 0, samples: [] };
  const ackMode = scenario.ack ?? 'auto';
  const wantLatency = scenario.rate !== undefined;
  const all = [...consumers, ...producers];
  const window = opts.window;
  try {
    // Consumers first, each subscription confirmed before anything is published.
    await Promise.all(consumers.map(async (c, i) => {
      await c.client.open();
      wireConsumer(c, state, ackMode, wantLatency, () => schedulePump());
      // Client-ack subscriptions ask for server-side flow control (RabbitMQ's prefetch-count, also
      // honoured by our broker): the producer window bounds what consumers RECEIVED, not what the
      // server saw ACKed, and ACKs can queue unread behind a busy producer socket.
      const extra = ackMode === 'auto' ? {} : { 'prefetch-count': window };
      // Fresh destination names (a broker that keeps its queues): RabbitMQ drops each a minute after
      // its last consumer. SEND declares the queue too, and must name the same arguments.
      if (opts.destSuffix) Object.assign(extra, QUEUE_EXPIRY);
      await c.client.request(subscribeFrame('0', c.dest.name, ackMode, `sub-${i}`, extra), `sub-${i}`);
    }));
    await Promise.all(producers.map(async (p) => {
      await p.client.open();
      p.template = sendTemplate(p, target.transport === 'ws', opts.destSuffix ? QUEUE_EXPIRY : {});
      p.client.onDrain = () => {
        p.blocked = false;
        schedulePump();
      };
    }));
  } catch (err) {
    for (const x of all) x.client.destroy();
    return { status: 'SETUP-FAILED', error: err.message, errors: collectErrors(all) };
  }

  // ---- pumping --------------------------------------------------------------------------------
  let pumpScheduled = false;
  const pump = () => {
    pumpScheduled = false;
    if (!state.running) return;
    for (const p of producers) {
      if (p.blocked) continue;
      let low = Infinity;
      for (const t of p.dest.trackers) if (t.unique[p.id] < low) low = t.unique[p.id];
      let room = window - (p.sent - low);
      while (room > 0) {
        const n = room < BATCH ? room : BATCH;
        room -= n;
        if (!sendBatch(p, n)) {
          p.blocked = true;
          break;
        }
      }
    }
  };
  function schedulePump() {
    if (!pumpScheduled && !wantLatency) {
      pumpScheduled = true;
      setImmediate(pump);
    }
  }

  let ticker;
  const t0 = performance.now();
  state.running = true;
  if (wantLatency) {
    // Fixed rate: every tick sends what is due since the start, stamped with the real send time.
    const p = producers[0];
    ticker = setInterval(() => {
      const due = Math.floor(((performance.now() - t0) / 1000) * scenario.rate) - p.sent;
      let low = Infinity;
      for (const t of p.dest.trackers) if (t.unique[p.id] < low) low = t.unique[p.id];
      // Never build an unbounded backlog on a server that cannot keep up.
      if (due > 0 && !p.blocked && p.sent - low < 20 * window) {
        if (!sendBatch(p, Math.min(due, 1000))) p.blocked = true;
      }
    }, 1);
  } else {
    pump();
  }

  const meter = new CpuMeter(opts.serverPid);
  await sleep(opts.warmup * 1000);
  const d0 = state.delivered;
  const sent0 = producers.reduce((s, p) => s + p.sent, 0);
  state.measuring = true;
  meter.start();
  const m0 = performance.now();
  let stalled = false;
  const end = m0 + opts.duration * 1000;
  let seen = state.delivered;
  let seenAt = m0;
  while (performance.now() < end) {
    await sleep(Math.min(200, Math.max(1, end - performance.now())));
    if (state.delivered !== seen) {
      seen = state.delivered;
      seenAt = performance.now();
    } else if (performance.now() - seenAt > opts.stallTimeout * 1000) {
      stalled = true;
      break;
    }
  }
  const seconds = (performance.now() - m0) / 1000;
  const cpu = meter.stop();
  const delivered = state.delivered - d0;
  const sentMeasured = producers.reduce((s, p) => s + p.sent, 0) - sent0;
  state.measuring = false;
  state.running = false;
  clearInterval(ticker);

  // ---- drain and check --------------------------------------------------------------------------
  const missing = () => {
    let m = 0;
    for (const p of producers) for (const t of p.dest.trackers) m += t.missing(p.id, p.sent);
    return m;
  };
  let last = missing();
  let lastChange = performance.now();
  while (last > 0 && performance.now() - lastChange < opts.drainTimeout * 1000) {
    await sleep(25);
    const now = missing();
    if (now !== last) {
      last = now;
      lastChange = performance.now();
    }
  }
  const trackers = dests.flatMap((d) => d.trackers);
  const duplicates = trackers.reduce((s, t) => s + t.duplicates, 0);
  const outOfOrder = trackers.reduce((s, t) => s + t.outOfOrder, 0);
  const errors = collectErrors(all);
  for (const x of all) x.client.destroy();

  const sent = producers.reduce((s, p) => s + p.sent, 0);
  const expected = producers.reduce((s, p) => s + p.sent * p.dest.trackers.length, 0);
  const result = {
    status: errors.length ? 'ERRORS' : stalled ? 'STALLED' : last > 0 || duplicates > 0 ? 'LOSS' : 'OK',
    value: round1(delivered / seconds),
    unit: scenario.metric,
    seconds: round1(seconds),
    sent,
    sentPerSecond: round1(sentMeasured / seconds),
    expected,
    lost: last,
    duplicates,
    outOfOrder,
    foreign: state.foreign,
    cpu,
    errors,
  };
  if (wantLatency) {
    const lat = percentiles(state.samples);
    result.latency = lat;
    result.value = lat.p99;
    result.deliveriesPerSecond = round1(delivered / seconds);
  }
  return result;

  // ---- sending ------------------------------------------------------------------------------
  function sendBatch(p, n) {
    const { wire, bodyAt } = p.template;
    const size = wire.length;
    const batch = Buffer.allocUnsafe(size * n);
    const micros = nowMicros();
    for (let i = 0; i < n; i++) {
      wire.copy(batch, i * size);
      stamp(batch, i * size + bodyAt, p.sent++, micros);
    }
    return p.client.writeRaw(batch);
  }
}

/** One SEND on the wire (ws header included) and where its body starts. */
function sendTemplate(p, ws, extra) {
  const stompFrame = frame('SEND', { destination: p.dest.name, ...extra, 'content-length': BODY_SIZE }, bodyTemplate(p.id));
  const wire = ws ? Buffer.concat([wsHeader(stompFrame.length), stompFrame]) : stompFrame;
  return { wire, bodyAt: wire.length - 1 - BODY_SIZE };
}

function wireConsumer(c, state, ackMode, wantLatency, onProgress) {
  const tracker = c.tracker;
  const client = c.client;
  const acking = ackMode !== 'auto';
  let acks = [];
  const flushAcks = () => {
    const out = acks.length === 1 ? acks[0] : Buffer.concat(acks);
    acks = [];
    client.writeRaw(out);
  };
  client.onMessage = (buf, start, nul) => {
    let at = nul - BODY_SIZE;
    if (!isBody(buf, at)) {
      at = bodyStart(buf, start, nul);
      if (!isBody(buf, at)) {
        state.foreign++;
        return;
      }
    }
    if (tracker.record(readProducer(buf, at), readSeq(buf, at))) {
      state.delivered++;
      if (wantLatency && state.measuring) state.samples.push(nowMicros() - readMicros(buf, at));
    }
    if (acking) {
      // STOMP 1.2: ACK id = the MESSAGE's ack header.
      const h = buf.indexOf(ACK_NEEDLE, start);
      if (h > 0 && h < at) {
        const from = h + ACK_NEEDLE.length;
        const to = buf.indexOf(10, from);
        const len = ACK_HEAD.length + (to - from) + ACK_TAIL.length;
        const head = client.ws ? wsHeader(len) : null;
        const out = Buffer.allocUnsafe((head ? head.length : 0) + len);
        let o = 0;
        if (head) o += head.copy(out, 0);
        o += ACK_HEAD.copy(out, o);
        o += buf.copy(out, o, from, to);
        ACK_TAIL.copy(out, o);
        if (acks.push(out) === 1) process.nextTick(flushAcks);
      } else {
        state.foreign++;
      }
    }
    onProgress();
  };
}

function collectErrors(all) {
  const errors = [];
  for (const x of all) for (const e of x.client.errors) if (errors.length < 5) errors.push(e);
  return errors;
}

export function percentiles(samples) {
  if (samples.length === 0) return { count: 0 };
  const s = Float64Array.from(samples).sort();
  const at = (q) => s[Math.min(s.length - 1, Math.floor(q * s.length))] / 1000;
  const r3 = (x) => Math.round(x * 1000) / 1000;
  return { count: s.length, p50: r3(at(0.5)), p90: r3(at(0.9)), p99: r3(at(0.99)), max: r3(s[s.length - 1] / 1000) };
}

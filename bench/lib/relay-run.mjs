// The relay rows of `npm run bench`: fan-out and queue through app + relay + RabbitMQ
// (targets/nest-stomp-relay.mjs), beside the same load straight at RabbitMQ's STOMP port. The
// ratio relay/direct is what the relay costs; the aim is that it costs less than 25 % (≥ 0.75).
// Nothing is pinned here: RabbitMQ runs wherever the system puts it, so all three processes share
// the machine alike in both runs.
import { readdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { runLoad, startServer, stopServerOf } from './processes.mjs';
import { SCENARIOS } from './scenarios.mjs';

export const RELAY_AIM = 0.75;

let runCount = 0;

/** True when a STOMP broker answers CONNECT (guest/guest) on 127.0.0.1:port. */
export function brokerAnswers(port) {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const done = (ok) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), 3000);
    socket.on('connect', () => socket.write('CONNECT\naccept-version:1.2\nlogin:guest\npasscode:guest\n\n\0'));
    socket.on('data', (chunk) => done(chunk.toString().startsWith('CONNECTED')));
    socket.on('error', () => done(false));
  });
}

/** RabbitMQ's Erlang VM (for CPU readings of the direct runs), or undefined. */
function rabbitPid() {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (cmdline.includes('beam') && cmdline.includes('rabbit')) return Number(entry);
    } catch {
      // gone meanwhile
    }
  }
  return undefined;
}

/** One run: target 'rabbitmq' (direct) or 'relay'. */
export async function runRelayOne(loadScript, relayScript, scenario, target, opts) {
  let child;
  let url;
  let pid;
  if (target === 'rabbitmq') {
    url = `tcp://guest:guest@127.0.0.1:${opts.port}?vhost=/`;
    pid = rabbitPid();
  } else {
    try {
      const server = await startServer(relayScript, { args: ['--port', String(opts.port)] });
      child = server.child;
      url = `tcp://127.0.0.1:${server.info.tcp}`;
      pid = server.info.pid;
    } catch (err) {
      return { status: 'SERVER-FAILED', error: err.message.split('\n').slice(0, 6).join(' | ') };
    }
  }
  // No --gc-signal: it would reach RabbitMQ's VM in the direct runs.
  const args = ['--url', url, '--scenario', scenario, '--duration', String(opts.duration), '--warmup', String(opts.warmup), '--window', String(opts.window)];
  // RabbitMQ keeps `/queue/...` queues between runs: fresh names, so no run sees an earlier one's messages.
  args.push('--dest-suffix', `.${process.pid}-${++runCount}`);
  if (pid !== undefined) args.push('--pid', String(pid));
  const result = await runLoad(loadScript, args, { timeoutMs: (opts.warmup + opts.duration + 45) * 1000 });
  return child ? stopServerOf(result, child) : result;
}

function median(xs) {
  const s = xs.filter((x) => typeof x === 'number').sort((a, b) => a - b);
  if (s.length === 0) return undefined;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * What one delivered message cost the run's server process (RabbitMQ direct, our relay process
 * through the relay): CPU µs (user, system) and read/write system calls per delivery, over the
 * measured window; undefined without readings.
 */
export function costPerDelivery(r) {
  // A latency run's value is its p99: its rate is apart.
  const rate = r.deliveriesPerSecond ?? r.value;
  const cpu = r.cpu;
  if (!(rate > 0) || cpu?.server === undefined) return undefined;
  const us = (percent) => (percent === undefined ? undefined : Math.round((percent * 1e4 / rate) * 10) / 10);
  const per = (n) => (n === undefined ? undefined : Math.round((n / rate) * 1000) / 1000);
  return {
    cpu: us(cpu.server),
    user: us(cpu.serverUser),
    system: us(cpu.serverSystem),
    reads: per(cpu.serverCalls?.reads),
    writes: per(cpu.serverCalls?.writes),
  };
}

/** One line of costPerDelivery() for the run log. */
export function describeCost(r) {
  const c = costPerDelivery(r);
  if (c === undefined) return '';
  const split = c.user === undefined ? '' : ` (user ${c.user}, sys ${c.system})`;
  const calls = c.reads === undefined ? '' : `, ${c.reads} reads + ${c.writes} writes`;
  return ` — per delivery: ${c.cpu} µs CPU${split}${calls}`;
}

/** Markdown table of the relay runs: direct, relay, ratio, aim, and the CPU per delivery of each. */
export function relayTable(runs, scenarios) {
  const lines = [
    '| scenario (TCP) | RabbitMQ direct | app + relay + RabbitMQ | ratio | aim | RabbitMQ CPU/delivery (direct) | relay CPU/delivery |',
    '| --- | --- | --- | --- | --- | ---: | ---: |',
  ];
  const rows = [];
  for (const scenario of scenarios) {
    const of = (target) => runs.filter((r) => r.scenario === scenario && r.target === target);
    const cell = (rs) => {
      const bad = rs.find((r) => r.status !== 'OK');
      const value = median(rs.map((r) => r.value));
      const shown = value === undefined ? '' : SCENARIOS[scenario].better === 'higher' ? Math.round(value) : value.toFixed(2);
      const text = value === undefined ? (bad?.status ?? 'not run') : `${shown} ${SCENARIOS[scenario].metric}`;
      return { value, text: bad && value !== undefined ? `${text} ⚠ ${bad.status}` : text };
    };
    const direct = cell(of('rabbitmq'));
    const relay = cell(of('relay'));
    // Throughput has the aim; a latency row (p99, lower is better) shows what the relay adds instead.
    const throughput = SCENARIOS[scenario].better === 'higher';
    const ratio = throughput && direct.value && relay.value !== undefined ? relay.value / direct.value : undefined;
    const meets = ratio === undefined ? '' : ratio >= RELAY_AIM ? ' ✅' : ' ❌';
    const added = !throughput && direct.value !== undefined && relay.value !== undefined ? relay.value - direct.value : undefined;
    const ratioText = ratio !== undefined ? `${ratio.toFixed(2)}${meets}` : added !== undefined ? `${added >= 0 ? '+' : ''}${added.toFixed(2)} ms` : '–';
    // The server process's CPU per delivery: RabbitMQ's VM in the direct runs, ours in the relay runs.
    const cost = (rs) => median(rs.map((r) => costPerDelivery(r)?.cpu));
    const brokerCost = cost(of('rabbitmq'));
    const relayCost = cost(of('relay'));
    const us = (x) => (x === undefined ? '–' : `${x.toFixed(1)} µs`);
    rows.push({ scenario, direct: direct.value, relay: relay.value, ratio, added, aim: throughput ? RELAY_AIM : undefined, brokerCpuPerDelivery: brokerCost, relayCpuPerDelivery: relayCost });
    lines.push(`| ${scenario} | ${direct.text} | ${relay.text} | ${ratioText} | ${throughput ? `≥ ${RELAY_AIM}` : '–'} | ${us(brokerCost)} | ${us(relayCost)} |`);
  }
  return { table: lines.join('\n'), rows };
}

#!/usr/bin/env node
// `npm run bench`: every scenario, over WebSocket and TCP, against our server and the limit server
// (fresh processes for every run, interleaved), printed as a Markdown table of ratios ours/limit
// and written to bench/results/latest.json. Run `node bench/run.mjs --help` for the options.
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import { parseArgs, usage } from './lib/args.mjs';
import { killAll, runLoad, startServer, stopServerOf } from './lib/processes.mjs';
import { buildRows, markdownTable } from './lib/report.mjs';
import { SCENARIO_NAMES } from './lib/scenarios.mjs';
import { brokerAnswers, describeCost, relayTable, runRelayOne } from './lib/relay-run.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const TARGETS = {
  limit: join(HERE, 'limit-server.mjs'),
  'nest-stomp': join(HERE, 'targets', 'nest-stomp.mjs'),
};

const SPEC = {
  duration: { type: 'number', default: 5, help: 'measured seconds per run' },
  warmup: { type: 'number', default: 1, help: 'seconds of load before measuring' },
  scenarios: { type: 'list', default: SCENARIO_NAMES, help: `comma list of ${SCENARIO_NAMES.join(',')}` },
  transports: { type: 'list', default: ['ws', 'tcp'], help: 'comma list of ws,tcp' },
  targets: { type: 'list', default: ['limit', 'nest-stomp'], help: 'comma list of limit,nest-stomp' },
  connections: { type: 'number', default: 2000, help: 'connections scenario: idle connections to open' },
  repeat: { type: 'number', help: 'runs per target, interleaved (A B, B A, …); the table shows medians (default 1; 3 for latency, whose p99 one stray pause can move)' },
  window: { type: 'number', default: 1000, help: 'messages in flight per producer' },
  quick: { type: 'boolean', default: false, help: 'short smoke run: 2 s measure, 0.5 s warmup, 500 connections' },
  pin: { type: 'boolean', default: true, help: 'pin the server to the last CPU and the generator to the others (taskset); --no-pin to disable' },
  profile: { type: 'string', help: 'write a V8 CPU profile of every nest-stomp server run into this folder (see tools/prof-top.mjs)' },
  relay: { type: 'boolean', default: true, help: 'also fan-out and queue through app + relay + RabbitMQ beside RabbitMQ direct (skipped when RabbitMQ STOMP does not answer); --no-relay to skip' },
  'relay-scenarios': { type: 'list', default: ['fanout', 'queue'], help: 'scenarios of the relay rows' },
  'relay-port': { type: 'number', default: 61613, help: "RabbitMQ's STOMP port" },
  out: { type: 'string', default: join(HERE, 'results', 'latest.json'), help: 'JSON results file' },
  help: { type: 'boolean', default: false, help: 'this text' },
};

const opts = parseArgs(process.argv.slice(2), SPEC);
if (opts.help) {
  console.log(`usage: npm run bench -- [options]   (or node bench/run.mjs [options])\n${usage(SPEC)}`);
  process.exit(0);
}
if (opts.quick) {
  opts.duration = Math.min(opts.duration, 2);
  opts.warmup = Math.min(opts.warmup, 0.5);
  opts.connections = Math.min(opts.connections, 500);
}
for (const s of opts.scenarios) if (!SCENARIO_NAMES.includes(s)) die(`unknown scenario ${s}`);
for (const t of opts.transports) if (t !== 'ws' && t !== 'tcp') die(`unknown transport ${t}`);
for (const t of opts.targets) if (!TARGETS[t]) die(`unknown target ${t}`);
if (opts.targets.includes('nest-stomp') && !existsSync(join(HERE, '..', 'packages', 'stomp-core', 'dist', 'index.js'))) {
  die('packages/stomp-core/dist is missing: run `npm run build` first (npm run bench does)');
}

// ---- cleanup on every exit path -----------------------------------------------------------------
process.on('exit', killAll);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    killAll();
    process.exit(130);
  });
}
process.on('uncaughtException', (err) => {
  console.error(err);
  killAll();
  process.exit(1);
});

// ---- CPU placement: the server under test gets one core, the generator the rest ----------------
const cpuCount = os.availableParallelism?.() ?? os.cpus().length;
const canPin = opts.pin && cpuCount >= 2 && spawnSync('taskset', ['-c', '0', 'true']).status === 0;
const serverCpus = canPin ? String(cpuCount - 1) : undefined;
const loadCpus = canPin ? (cpuCount === 2 ? '0' : `0-${cpuCount - 2}`) : undefined;

const runs = [];
const started = Date.now();
console.log(`nest-stomp bench: ${opts.scenarios.join(', ')} × ${opts.transports.join(', ')}; ${opts.duration} s measured + ${opts.warmup} s warmup per run` +
  `; ${canPin ? `server on CPU ${serverCpus}, generator on CPU ${loadCpus}` : 'no CPU pinning'}\n`);

for (const scenario of opts.scenarios) {
  for (const transport of opts.transports) {
    const repeat = opts.repeat ?? (scenario === 'latency' && !opts.quick ? 3 : 1);
    for (let rep = 0; rep < repeat; rep++) {
      const order = rep % 2 === 0 ? opts.targets : [...opts.targets].reverse();
      for (const target of order) {
        const result = await runOne(scenario, transport, target);
        runs.push({ ...result, scenario, transport, target, repeat: rep });
        console.log(`  ${scenario.padEnd(11)} ${transport.padEnd(3)} ${target.padEnd(10)} ${describe(result)}`);
      }
    }
  }
}

const rows = buildRows(runs, opts.scenarios, opts.transports);
if (rows.length > 0) {
  // (`--scenarios ''`: the relay rows only.)
  const { table, notes } = markdownTable(rows);
  console.log(`\n${table}\n`);
  console.log('Ratio = nest-stomp / limit (same load, same run). Aims: throughput ratios ≥ aim; latency p99 and memory per connection ≤ aim.');
  console.log('⚠ marks a run that lost or duplicated messages, stalled or failed.');
  if (notes.length) console.log(`\nNotes:\n${notes.join('\n')}`);
}

// ---- the relay: app + relay + RabbitMQ beside RabbitMQ direct -----------------------------------
const relayRuns = [];
let relayRows;
if (opts.relay) {
  if (!(await brokerAnswers(opts['relay-port']))) {
    console.log(`\nRelay rows skipped: no STOMP broker on 127.0.0.1:${opts['relay-port']} (rabbitmq-plugins enable rabbitmq_stomp).`);
  } else {
    console.log(`\nRelay: ${opts['relay-scenarios'].join(', ')} over TCP, RabbitMQ on 127.0.0.1:${opts['relay-port']} (no pinning)`);
    for (const scenario of opts['relay-scenarios']) {
      // Interleaved like the main table (direct, relay; relay, direct; …): the table shows medians.
      const repeat = opts.repeat ?? 1;
      for (let rep = 0; rep < repeat; rep++) {
        for (const target of rep % 2 === 0 ? ['rabbitmq', 'relay'] : ['relay', 'rabbitmq']) {
          const result = await runRelayOne(join(HERE, 'load.mjs'), join(HERE, 'targets', 'nest-stomp-relay.mjs'), scenario, target,
            { port: opts['relay-port'], duration: opts.duration, warmup: opts.warmup, window: opts.window });
          relayRuns.push({ ...result, scenario, transport: 'tcp', target, repeat: rep });
          console.log(`  ${scenario.padEnd(11)} tcp ${target.padEnd(10)} ${describe(result)}${describeCost(result)}`);
        }
      }
    }
    const relay = relayTable(relayRuns, opts['relay-scenarios']);
    relayRows = relay.rows;
    console.log(`\n${relay.table}\n`);
    console.log('Ratio = (app + relay + RabbitMQ) / RabbitMQ direct, same load. Aim: the relay costs less than 25 % of direct throughput. A latency row shows the p99 the relay adds instead.');
    console.log('CPU/delivery: CPU time of the server process (RabbitMQ direct, our relay process) per delivered message, medians; steadier than the ratio on a busy machine.');
  }
}

const seconds = Math.round((Date.now() - started) / 1000);
mkdirSync(dirname(opts.out), { recursive: true });
writeFileSync(opts.out, JSON.stringify({
  date: new Date().toISOString(),
  seconds,
  machine: { cpus: cpuCount, model: os.cpus()[0]?.model, node: process.version, platform: `${os.platform()} ${os.release()}`, serverCpus, loadCpus },
  options: { ...opts, help: undefined },
  rows,
  runs,
  relay: relayRows && { rows: relayRows, runs: relayRuns },
}, null, 2) + '\n');
console.log(`\n${runs.length + relayRuns.length} runs in ${seconds} s; results in ${opts.out}`);
killAll();
process.exit(0);

// ---------------------------------------------------------------------------------------------------
async function runOne(scenario, transport, target) {
  let server;
  try {
    const nodeArgs = opts.profile && target === 'nest-stomp' ? ['--cpu-prof', '--cpu-prof-dir', opts.profile, '--cpu-prof-name', `${scenario}-${transport}-${Date.now()}.cpuprofile`] : [];
    server = await startServer(TARGETS[target], { cpus: serverCpus, nodeArgs });
  } catch (err) {
    return { status: 'SERVER-FAILED', error: err.message.split('\n').slice(0, 6).join(' | ') };
  }
  const { info, child } = server;
  const url = transport === 'ws' ? `ws://127.0.0.1:${info.ws}${info.path}` : `tcp://127.0.0.1:${info.tcp}`;
  const args = [
    '--url', url, '--scenario', scenario, '--pid', String(info.pid), '--gc-signal',
    '--duration', String(opts.duration), '--warmup', String(opts.warmup),
    '--window', String(opts.window), '--connections', String(opts.connections),
  ];
  const timeoutMs = (scenario === 'connections' ? 130 : opts.warmup + opts.duration + 45) * 1000;
  const result = await runLoad(join(HERE, 'load.mjs'), args, { cpus: loadCpus, timeoutMs });
  return stopServerOf(result, child);
}

function describe(r) {
  if (r.value === undefined) return `${r.status}: ${r.error ?? ''}`;
  const lat = r.latency ? ` (p50 ${r.latency.p50} ms, max ${r.latency.max} ms)` : '';
  const mem = r.memory ? `, ${r.memory.value} KiB/conn` : '';
  const loss = r.lost || r.duplicates ? `, lost ${r.lost} dup ${r.duplicates}` : '';
  return `${r.status} ${r.value} ${r.unit}${lat}${mem}${loss}  [cpu % gen ${r.cpu?.generator ?? '–'} srv ${r.cpu?.server ?? '–'} other ${r.cpu?.other ?? '–'}]`;
}

function die(message) {
  console.error(`bench: ${message}`);
  process.exit(2);
}

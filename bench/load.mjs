#!/usr/bin/env node
// Load generator: runs ONE scenario against ONE STOMP server and prints the result.
//   node bench/load.mjs --url tcp://127.0.0.1:PORT --scenario queue [--duration 5] [--json]
//   node bench/load.mjs --url ws://127.0.0.1:PORT/ws --scenario fanout --pid SERVER_PID
// run.mjs drives it once per (scenario, transport, server); it is usable on its own too.
import { parseArgs, usage } from './lib/args.mjs';
import { parseTarget } from './lib/client.mjs';
import { runConnections } from './lib/connections-run.mjs';
import { runFlow } from './lib/flow-run.mjs';
import { exitWithParent } from './lib/orphan-guard.mjs';
import { SCENARIOS, SCENARIO_NAMES } from './lib/scenarios.mjs';

const SPEC = {
  url: { type: 'string', help: 'tcp://host:port or ws://host:port/path' },
  scenario: { type: 'string', help: `one of ${SCENARIO_NAMES.join(', ')}` },
  duration: { type: 'number', default: 5, help: 'measured seconds' },
  warmup: { type: 'number', default: 1, help: 'seconds of load before measuring' },
  window: { type: 'number', default: 1000, help: 'messages in flight per producer (not yet delivered to its slowest receiver)' },
  connections: { type: 'number', default: 2000, help: 'connections scenario: how many' },
  concurrency: { type: 'number', default: 50, help: 'connections scenario: setups in progress at once' },
  pid: { type: 'number', help: 'server pid: CPU and VmRSS readings' },
  'gc-signal': { type: 'boolean', default: false, help: 'send SIGUSR2 to --pid before memory readings (server must call gc() on it)' },
  drain: { type: 'number', default: 3, help: 'seconds without progress before undelivered messages count as lost' },
  stall: { type: 'number', default: 3, help: 'seconds without any delivery while measuring: STALLED' },
  'dest-suffix': { type: 'string', default: '', help: 'appended to every destination name, with x-expires:60000 on SUBSCRIBE and SEND (a broker that keeps queues between runs sees no earlier run; RabbitMQ drops them a minute later)' },
  json: { type: 'boolean', default: false, help: 'print one JSON line' },
  help: { type: 'boolean', default: false, help: 'this text' },
};

const opts = parseArgs(process.argv.slice(2), SPEC);
if (opts.help || !opts.url || !opts.scenario) {
  console.log(`usage: node bench/load.mjs --url URL --scenario NAME [options]\n${usage(SPEC)}`);
  process.exit(opts.help ? 0 : 2);
}
const scenario = SCENARIOS[opts.scenario];
if (!scenario) {
  console.error(`unknown scenario ${opts.scenario}; one of ${SCENARIO_NAMES.join(', ')}`);
  process.exit(2);
}
const target = parseTarget(opts.url);

exitWithParent(() => process.exit(3));
// Every run is bounded, whatever the server does.
const budget = opts.scenario === 'connections' ? 120 : opts.warmup + opts.duration + opts.drain + 30;
setTimeout(() => {
  console.error(`load: watchdog after ${budget} s`);
  process.exit(3);
}, budget * 1000).unref();

const result = opts.scenario === 'connections'
  ? await runConnections(target, {
    connections: opts.connections,
    concurrency: opts.concurrency,
    serverPid: opts.pid,
    gcSignal: opts['gc-signal'],
  })
  : await runFlow(scenario, target, {
    duration: opts.duration,
    warmup: opts.warmup,
    window: opts.window,
    serverPid: opts.pid,
    drainTimeout: opts.drain,
    stallTimeout: opts.stall,
    destSuffix: opts['dest-suffix'],
  });
result.scenario = opts.scenario;
result.transport = target.transport;
result.url = opts.url;

if (opts.json) {
  console.log(JSON.stringify(result));
} else {
  const lat = result.latency ? `  p50 ${result.latency.p50} ms  p99 ${result.latency.p99} ms  max ${result.latency.max} ms` : '';
  const mem = result.memory ? `  ${result.memory.value} KiB/conn` : '';
  console.log(`${opts.scenario} ${target.transport}: ${result.status}  ${result.value} ${result.unit}${lat}${mem}`);
  console.log(`  lost ${result.lost ?? '-'}  dup ${result.duplicates ?? '-'}  cpu generator ${result.cpu?.generator ?? '-'} %  server ${result.cpu?.server ?? '-'} %`);
  if (result.error) console.log(`  setup error: ${result.error}`);
  for (const e of result.errors ?? []) console.log(`  error: ${e}`);
}
process.exit(result.status === 'OK' ? 0 : 1);

// Turns the raw runs into rows (ours beside the limit server, ratio, aim) and a Markdown table.
import { SCENARIOS } from './scenarios.mjs';

const GENERATOR_BUSY = 90; // % of its core: above this the generator may be what limits a run
const OTHERS_BUSY = 25; // % of a core used by other processes during a run: results get noisy

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return undefined;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Combines the repeats of one (scenario, transport, target): median value, worst status, summed loss. */
function combine(runs, pick) {
  const values = runs.map(pick).filter((v) => typeof v === 'number' && Number.isFinite(v));
  if (runs.length === 0) return { status: 'not run', lost: 0, duplicates: 0, repeats: 0 };
  const bad = runs.find((r) => r.status !== 'OK');
  const sum = (k) => runs.reduce((s, r) => s + (r[k] ?? 0), 0);
  return {
    value: median(values),
    status: bad ? bad.status : 'OK',
    error: bad?.error ?? bad?.errors?.[0],
    lost: sum('lost'),
    duplicates: sum('duplicates'),
    outOfOrder: sum('outOfOrder'),
    generatorCpu: median(runs.map((r) => r.cpu?.generator).filter((v) => v !== undefined)),
    serverCpu: median(runs.map((r) => r.cpu?.server).filter((v) => v !== undefined)),
    otherCpu: Math.max(0, ...runs.map((r) => r.cpu?.other ?? 0)),
    latency: runs.find((r) => r.latency)?.latency && {
      p50: median(runs.map((r) => r.latency?.p50).filter((v) => v !== undefined)),
      p99: median(runs.map((r) => r.latency?.p99).filter((v) => v !== undefined)),
      max: Math.max(...runs.map((r) => r.latency?.max ?? 0)),
    },
    repeats: runs.length,
  };
}

/** rows for every (scenario, transport) present in `runs` (objects with scenario, transport, target). */
export function buildRows(runs, scenarios, transports) {
  const rows = [];
  for (const scenario of scenarios) {
    const def = SCENARIOS[scenario];
    const metrics = [{ metric: def.metric, better: def.better, aim: def.aim, pick: (r) => r.value }];
    if (def.memory) metrics.push({ ...def.memory, pick: (r) => r.memory?.value });
    for (const transport of transports) {
      const of = (target) => runs.filter((r) => r.scenario === scenario && r.transport === transport && r.target === target);
      for (const m of metrics) {
        const ours = combine(of('nest-stomp'), m.pick);
        const limit = combine(of('limit'), m.pick);
        const ratio = ours.value !== undefined && limit.value ? ours.value / limit.value : undefined;
        const meets = ratio === undefined ? undefined : m.better === 'higher' ? ratio >= m.aim : ratio <= m.aim;
        rows.push({ scenario, transport, metric: m.metric, better: m.better, aim: m.aim, ours, limit, ratio, meets });
      }
    }
  }
  return rows;
}

function fmt(x, metric) {
  if (x === undefined) return '–';
  if (metric.endsWith(' ms') || metric === 'ms' || metric.includes('KiB')) return x.toFixed(x < 10 ? 2 : 1);
  if (x >= 1e6) return `${(x / 1e6).toFixed(2)} M`;
  if (x >= 1e4) return `${(x / 1e3).toFixed(0)} k`;
  return x.toFixed(0);
}

function cell(side, row) {
  if (side.value === undefined) return side.status;
  let text = fmt(side.value, row.metric);
  if (side.latency && row.metric === 'p99 ms') text = `${fmt(side.latency.p50, 'ms')} / **${text}** / ${fmt(side.latency.max, 'ms')}`;
  if (side.status !== 'OK') text += ` ⚠ ${side.status}`;
  return text;
}

export function markdownTable(rows) {
  const lines = [
    '| scenario | transport | metric | nest-stomp | limit | ratio | aim | | ours lost/dup | ours CPU gen/srv % | limit CPU gen/srv % |',
    '| --- | --- | --- | ---: | ---: | ---: | --- | --- | ---: | ---: | ---: |',
  ];
  const notes = new Set();
  for (const r of rows) {
    const metric = r.metric === 'p99 ms' ? 'p50 / p99 / max ms' : r.metric;
    const ratio = r.ratio === undefined ? '–' : `${r.ratio.toFixed(2)}×`;
    const aim = `${r.better === 'higher' ? '≥' : '≤'} ${r.aim}×`;
    const verdict = r.meets === undefined ? '' : r.meets ? '✅' : '❌';
    const loss = r.metric === 'KiB/conn' ? '' : `${r.ours.lost}/${r.ours.duplicates}${r.ours.lost || r.ours.duplicates ? ' ⚠' : ''}`;
    const cpu = (s) => (r.metric === 'KiB/conn' ? '' : `${s.generatorCpu ?? '–'} / ${s.serverCpu ?? '–'}`);
    lines.push(`| ${r.scenario} | ${r.transport} | ${metric} | ${cell(r.ours, r)} | ${cell(r.limit, r)} | ${ratio} | ${aim} | ${verdict} | ${loss} | ${cpu(r.ours)} | ${cpu(r.limit)} |`);
    for (const [name, side] of [['nest-stomp', r.ours], ['limit', r.limit]]) {
      if (side.generatorCpu >= GENERATOR_BUSY && r.metric !== 'KiB/conn') {
        notes.add(`- ${r.scenario}/${r.transport}: the generator used ${side.generatorCpu} % of its core against ${name}; that run may be generator-bound.`);
      }
      if (side.otherCpu >= OTHERS_BUSY && r.metric !== 'KiB/conn') {
        notes.add(`- ${r.scenario}/${r.transport}: other processes used up to ${side.otherCpu} % of a core during the ${name} run: noisy.`);
      }
      if (side.status !== 'OK' && side.error) notes.add(`- ${r.scenario}/${r.transport} ${name}: ${side.status}: ${side.error}`);
    }
  }
  return { table: lines.join('\n'), notes: [...notes] };
}

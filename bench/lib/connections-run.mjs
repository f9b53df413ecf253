// The `connections` scenario: N connections, each CONNECT + SUBSCRIBE (confirmed by RECEIPT), at
// most `concurrency` in setup at once. Measures the connect rate and the server's resident memory
// per idle connection (VmRSS delta after gc / N). The connections stay open and idle while memory
// is read, then are dropped.
import { StompClient } from './client.mjs';
import { CpuMeter, round1, settledRss } from './proc-stats.mjs';
import { subscribeFrame } from './stomp-wire.mjs';

/** @param opts { connections, concurrency, serverPid, gcSignal } */
export async function runConnections(target, opts) {
  const n = opts.connections;
  const clients = [];
  const errors = [];
  // Warm the server's code paths first, so lazily loaded modules and JIT state are not counted
  // as per-connection memory.
  const warm = await Promise.all(Array.from({ length: 20 }, async (_, i) => {
    const c = new StompClient(target);
    try {
      await c.open();
      await c.request(subscribeFrame('0', `/topic/bench.warm.${i}`, 'auto', 'w'), 'w');
    } catch {
      // counted below if the real run fails too
    }
    return c;
  }));
  for (const c of warm) c.destroy();
  const before = opts.serverPid ? await settledRss(opts.serverPid, { gc: opts.gcSignal }) : undefined;

  const meter = new CpuMeter(opts.serverPid);
  meter.start();
  const t0 = performance.now();
  let next = 0;
  let failed = 0;
  const worker = async () => {
    while (next < n) {
      const i = next++;
      const client = new StompClient(target);
      clients.push(client);
      try {
        await client.open();
        await client.request(subscribeFrame('0', `/topic/bench.idle.${i % 100}`, 'auto', 'r'), 'r');
      } catch (err) {
        failed++;
        if (errors.length < 5) errors.push(err.message);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(opts.concurrency, n) }, worker));
  const seconds = (performance.now() - t0) / 1000;
  const cpu = meter.stop();

  const after = opts.serverPid ? await settledRss(opts.serverPid, { gc: opts.gcSignal }) : undefined;
  // Anything that went wrong while idle (ERROR frames, closes) also counts.
  for (const c of clients) for (const e of c.errors) if (errors.length < 5 && !errors.includes(e)) errors.push(e);
  const dropped = clients.filter((c) => c.closed).length;
  for (const c of clients) c.destroy();

  const ok = n - failed;
  const bytesPerConn = before !== undefined && after !== undefined && ok > 0 ? (after - before) / ok : undefined;
  return {
    status: failed || dropped ? 'ERRORS' : 'OK',
    value: round1(ok / seconds),
    unit: 'conn/s',
    seconds: round1(seconds),
    connections: n,
    failed,
    dropped,
    lost: failed + dropped,
    duplicates: 0,
    memory: bytesPerConn === undefined ? undefined : {
      value: round1(bytesPerConn / 1024),
      unit: 'KiB/conn',
      rssBefore: before,
      rssAfter: after,
    },
    cpu,
    errors,
  };
}

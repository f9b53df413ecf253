// Readings of another process from /proc (Linux): resident memory and CPU time.
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

const CLOCK_TICKS = 100; // USER_HZ on Linux

/** VmRSS of `pid` in bytes, or undefined when unreadable. */
export function rssBytes(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'latin1');
    const m = /VmRSS:\s+(\d+)\s+kB/.exec(status);
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** User + system CPU seconds consumed by `pid` (all threads), or undefined. */
export function cpuSeconds(pid) {
  const split = cpuSplit(pid);
  return split === undefined ? undefined : split.user + split.system;
}

/** { user, system } CPU seconds of `pid` (all threads), or undefined. */
export function cpuSplit(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    // The command name may hold spaces: fields are counted after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { user: Number(fields[11]) / CLOCK_TICKS, system: Number(fields[12]) / CLOCK_TICKS };
  } catch {
    return undefined;
  }
}

/**
 * { reads, writes }: read-type and write-type system calls `pid` made so far (/proc/PID/io syscr,
 * syscw: read/recv and write/writev/send on sockets, files and pipes alike), or undefined.
 */
export function syscallCounts(pid) {
  try {
    const io = readFileSync(`/proc/${pid}/io`, 'latin1');
    const reads = /syscr:\s+(\d+)/.exec(io);
    const writes = /syscw:\s+(\d+)/.exec(io);
    return reads && writes ? { reads: Number(reads[1]), writes: Number(writes[1]) } : undefined;
  } catch {
    return undefined;
  }
}

/** Busy CPU seconds of the whole machine (all cores), from /proc/stat; undefined if unreadable. */
export function machineBusySeconds() {
  try {
    const line = readFileSync('/proc/stat', 'latin1').split('\n', 1)[0];
    const f = line.split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal …: busy = all but idle and iowait.
    const busy = f[0] + f[1] + f[2] + f[5] + f[6] + f[7];
    return busy / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}

/** CPU meter for this process and (optionally) a server pid: share of one core over an interval. */
export class CpuMeter {
  constructor(serverPid) {
    this.serverPid = serverPid;
  }

  start() {
    this.t0 = performance.now();
    this.self0 = process.cpuUsage();
    this.server0 = this.serverPid ? cpuSplit(this.serverPid) : undefined;
    this.calls0 = this.serverPid ? syscallCounts(this.serverPid) : undefined;
    this.machine0 = machineBusySeconds();
  }

  /**
   * { generator, server, other } in % of one core since start(); `other` is what the rest of the
   * machine used meanwhile (other processes competing for the cores make results noisy). With a
   * server pid also `serverUser`/`serverSystem` (% of one core) and `serverCalls` { reads, writes }
   * per second: divided by the throughput they give the server's cost per message, a figure that
   * depends less on what else runs on the machine than throughput does.
   */
  stop() {
    const seconds = (performance.now() - this.t0) / 1000;
    const self = process.cpuUsage(this.self0);
    const generator = (self.user + self.system) / 1e6 / seconds * 100;
    const server1 = this.serverPid ? cpuSplit(this.serverPid) : undefined;
    const s0 = this.server0;
    const user = server1 !== undefined && s0 !== undefined ? (server1.user - s0.user) / seconds * 100 : undefined;
    const system = server1 !== undefined && s0 !== undefined ? (server1.system - s0.system) / seconds * 100 : undefined;
    const server = user === undefined ? undefined : user + system;
    const calls1 = this.serverPid ? syscallCounts(this.serverPid) : undefined;
    const c0 = this.calls0;
    const machine1 = machineBusySeconds();
    const machine = machine1 !== undefined && this.machine0 !== undefined ? (machine1 - this.machine0) / seconds * 100 : undefined;
    const other = machine === undefined ? undefined : Math.max(0, machine - generator - (server ?? 0));
    const out = {
      generator: round1(generator),
      server: server === undefined ? undefined : round1(server),
      other: other === undefined ? undefined : round1(other),
    };
    if (user !== undefined) {
      out.serverUser = round1(user);
      out.serverSystem = round1(system);
    }
    if (calls1 !== undefined && c0 !== undefined) {
      out.serverCalls = { reads: Math.round((calls1.reads - c0.reads) / seconds), writes: Math.round((calls1.writes - c0.writes) / seconds) };
    }
    return out;
  }
}

/**
 * Asks the server to collect garbage (our bench servers run with --expose-gc and call gc() on
 * SIGUSR2), waits for it to settle, and returns its VmRSS. Two rounds: the first gc may free
 * memory that only a second compaction returns.
 */
export async function settledRss(pid, { gc = true } = {}) {
  if (gc) {
    for (let i = 0; i < 2; i++) {
      try {
        process.kill(pid, 'SIGUSR2');
      } catch {
        break;
      }
      await sleep(250);
    }
  } else {
    await sleep(250);
  }
  return rssBytes(pid);
}

export const round1 = (x) => Math.round(x * 10) / 10;

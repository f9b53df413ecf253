// Child processes of the bench: servers (started, read their ports line, stopped) and load runs.
// Every child is tracked so run.mjs can kill what is left on any exit path.
import { spawn } from 'node:child_process';

const live = new Set();

/** Kills every child still running (SIGKILL); safe to call more than once. */
export function killAll() {
  for (const child of live) {
    try {
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
  live.clear();
}

/** Prefix that pins a command to `cpus` ('0', '1', '0-2'), or [] when pinning is off. */
export function pinPrefix(cpus) {
  return cpus === undefined ? [] : ['taskset', '-c', cpus];
}

function start(argv) {
  const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  child.once('exit', () => live.delete(child));
  child.stderrText = '';
  child.stderr.on('data', (d) => {
    child.stderrText = (child.stderrText + d).slice(-4000);
  });
  return child;
}

/**
 * Starts a server script that prints one JSON line {tcp, ws, path, pid} when listening.
 * Resolves { child, info }; rejects (and kills it) if no such line comes within `timeoutMs`.
 */
export function startServer(script, { cpus, nodeArgs = [], args = [], timeoutMs = 15_000 } = {}) {
  const child = start([...pinPrefix(cpus), process.execPath, '--expose-gc', ...nodeArgs, script, ...args]);
  return new Promise((resolve, reject) => {
    let out = '';
    const fail = (why) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${script}: ${why}${child.stderrText ? `\n${child.stderrText.trim()}` : ''}`));
    };
    const timer = setTimeout(() => fail(`no ports line within ${timeoutMs} ms`), timeoutMs);
    child.stdout.on('data', (d) => {
      out += d;
      const nl = out.indexOf('\n');
      if (nl < 0 || child.info) return;
      try {
        child.info = JSON.parse(out.slice(0, nl));
      } catch {
        fail(`unexpected output: ${out.slice(0, nl)}`);
        return;
      }
      clearTimeout(timer);
      // The pid that matters is node's, not taskset's (taskset execs, so they are the same).
      resolve({ child, info: child.info });
    });
    child.once('exit', (code, signal) => {
      if (!child.info) fail(`exited (${signal ?? code}) before listening`);
    });
  });
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
export function stopProcess(child, graceMs = 3000) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Runs load.mjs with `args`; resolves its JSON result (or a failed result), killed after `timeoutMs`. */
export function runLoad(script, args, { cpus, timeoutMs }) {
  const child = start([...pinPrefix(cpus), process.execPath, script, ...args, '--json']);
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      const line = out.trim().split('\n').pop();
      try {
        resolve(JSON.parse(line));
      } catch {
        resolve({
          status: 'GENERATOR-FAILED',
          error: `load.mjs exited ${signal ?? code}: ${(child.stderrText || out).trim().slice(-500)}`,
        });
      }
    });
  });
}

/** Stops the server of a run; a server that had exited by itself during the run marks the result. */
export async function stopServerOf(result, child) {
  const crashed = child.exitCode !== null || child.signalCode !== null;
  await stopProcess(child);
  if (crashed) {
    result.status = 'SERVER-CRASHED';
    result.error = `server exited during the run: ${child.stderrText.trim().slice(-500)}`;
  }
  return result;
}

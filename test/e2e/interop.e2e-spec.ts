// Interop with a real, independent STOMP client: stomp.py (Debian python3-stomp) over TCP, talking to
// @stomp/stompjs over WebSocket through our server. Skipped (loudly) when stomp.py is missing outside
// CI; with CI=true a missing stomp.py fails the run.
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { useCleanup, onCleanup } from '../support/cleanup.js';
import { connectClient } from '../support/stomp-client.js';
import { startServer, type TestServer } from '../support/test-server.js';
import { deferred, withTimeout } from '../support/wait.js';

useCleanup();

const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('../support/stomp_py_client.py', import.meta.url));
const hasStompPy = spawnSync(PYTHON, ['-c', 'import stomp'], { stdio: 'ignore' }).status === 0;
const inCi = process.env.CI === 'true';

if (!hasStompPy && !inCi) {
  console.warn('interop.e2e-spec: python3-stomp is not installed (apt-get install -y python3-stomp): stomp.py interop tests SKIPPED');
}

/** A running stomp.py script: its stdout lines, and its exit. */
function runPython(args: string[]) {
  const child: ChildProcessWithoutNullStreams = spawn(PYTHON, [SCRIPT, ...args]);
  const lines: string[] = [];
  const waiters: Array<() => void> = [];
  let stderr = '';
  let buffered = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      lines.push(buffered.slice(0, nl));
      buffered = buffered.slice(nl + 1);
      for (const wake of waiters.splice(0)) wake();
    }
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = deferred<number | null>();
  child.on('exit', (code) => {
    exited.resolve(code);
    for (const wake of waiters.splice(0)) wake();
  });
  onCleanup(() => {
    if (exited.settled) return;
    child.kill();
    return exited.promise;
  });
  return {
    async line(match: (line: string) => boolean, what: string): Promise<string> {
      const find = () => lines.find(match);
      return withTimeout(
        new Promise<string>((resolve, reject) => {
          const check = () => {
            const found = find();
            if (found !== undefined) return resolve(found);
            if (exited.settled) return reject(new Error(`stomp.py exited before ${what}: ${stderr}`));
            waiters.push(check);
          };
          check();
        }),
        15_000,
        `stomp.py: ${what} (stderr: ${stderr})`,
      );
    },
    async exitCode(): Promise<number | null> {
      return withTimeout(exited.promise, 15_000, `stomp.py to exit (stderr: ${stderr})`);
    },
  };
}

const describeInterop = hasStompPy || inCi ? describe : describe.skip;

describeInterop('interop with stomp.py (TCP) and stompjs (WebSocket)', () => {
  let ts: TestServer;
  beforeEach(async () => {
    if (!hasStompPy) throw new Error('CI=true but python3-stomp is missing: apt-get install -y python3-stomp');
    ts = await startServer();
  });

  it('stompjs over WS publishes, stomp.py over TCP receives', async () => {
    const python = runPython(['receive', '127.0.0.1', String(ts.tcpPort), '/topic/interop.py']);
    await python.line((l) => l === 'READY', 'READY (subscribed)');
    const js = await connectClient(ts, 'ws');
    await js.publish('/topic/interop.py', 'héllo from stompjs', { 'x-from': 'stompjs', 'x-colon': 'a:b' });
    const json = await python.line((l) => l.startsWith('{'), 'the MESSAGE');
    const message = JSON.parse(json) as { body: string; headers: Record<string, string> };
    expect(message.body).toBe('héllo from stompjs');
    expect(message.headers['x-from']).toBe('stompjs');
    expect(message.headers['x-colon']).toBe('a:b');
    expect(message.headers.destination).toBe('/topic/interop.py');
    expect(message.headers.subscription).toBe('py-1');
    expect(message.headers['message-id']).toEqual(expect.any(String));
    expect(await python.exitCode()).toBe(0);
  });

  it('stomp.py over TCP sends, stompjs over WS receives', async () => {
    const js = await connectClient(ts, 'ws');
    const inbox = await js.subscribe('/queue/interop.js');
    const python = runPython(['send', '127.0.0.1', String(ts.tcpPort), '/queue/interop.js', 'hi from stomp.py ✓']);
    await python.line((l) => l === 'SENT', 'SENT (receipt)');
    const message = await inbox.next(10_000);
    expect(message.body).toBe('hi from stomp.py ✓');
    expect(message.headers['x-from']).toBe('stomp.py');
    expect(message.headers['content-type']).toMatch(/^text\/plain/);
    expect(await python.exitCode()).toBe(0);
  });
});

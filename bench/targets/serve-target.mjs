// What every bench target of ours does around its StompServer: WebSocket on /ws of an http server
// and a TCP listener, both on ephemeral loopback ports; SIGTERM/SIGINT close it gracefully; SIGUSR2
// runs gc() (for memory readings); it prints {"tcp":PORT,"ws":PORT,"path":"/ws","pid":PID} once listening.
import http from 'node:http';
import { exitWithParent } from '../lib/orphan-guard.mjs';

export const HOST = '127.0.0.1';
const WS_PATH = '/ws';

export async function serveTarget(server) {
  const httpServer = http.createServer((_req, res) => {
    res.writeHead(404).end();
  });
  server.attachWebSocket({ server: httpServer, path: WS_PATH });
  await new Promise((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(0, HOST, resolve);
  });
  const tcp = await server.listenTcp({ port: 0, host: HOST });

  let stopping = false;
  async function stop() {
    if (stopping) return;
    stopping = true;
    // Whatever happens in close(), do not outlive the bench.
    setTimeout(() => process.exit(1), 3000).unref();
    await server.close();
    httpServer.close();
    process.exit(0);
  }
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.on('SIGUSR2', () => globalThis.gc?.());
  exitWithParent(stop);
  console.log(JSON.stringify({ tcp: tcp.port, ws: httpServer.address().port, path: WS_PATH, pid: process.pid }));
}

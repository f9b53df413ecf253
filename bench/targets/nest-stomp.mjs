#!/usr/bin/env node
// Our real server, as the bench runs it: the built @nest-stomp/core StompServer on an http server
// (WebSocket at /ws) and a plain TCP listener, both on ephemeral loopback ports.
//   npm run build && node --expose-gc bench/targets/nest-stomp.mjs
//   → prints {"tcp":PORT,"ws":PORT,"path":"/ws","pid":PID} once listening
// Heart-beats are off ([0,0]) so the bench measures message traffic only. SIGUSR2 runs gc() (for
// memory readings); SIGTERM/SIGINT close the server gracefully and exit.
import http from 'node:http';
import { StompServer } from '../../packages/stomp-core/dist/index.js';
import { exitWithParent } from '../lib/orphan-guard.mjs';

const HOST = '127.0.0.1';
const WS_PATH = '/ws';

const server = new StompServer({ heartbeat: [0, 0] });
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

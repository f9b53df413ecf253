#!/usr/bin/env node
// Our server relaying to an external broker (RabbitMQ by default), as the bench runs it: the built
// @nest-stomp/core StompServer with `relay`, WebSocket on /ws and TCP on ephemeral loopback ports.
//   npm run build && node bench/targets/nest-stomp-relay.mjs [--port 61613]
//   → prints {"tcp":PORT,"ws":PORT,"path":"/ws","pid":PID} once the relay's system session is up
// Heart-beats are off everywhere (clients, system and client broker connections).
import http from 'node:http';
import { StompServer } from '../../packages/stomp-core/dist/index.js';
import { exitWithParent } from '../lib/orphan-guard.mjs';

const HOST = '127.0.0.1';
const WS_PATH = '/ws';
const portArg = process.argv.indexOf('--port');
const brokerPort = portArg > 0 ? Number(process.argv[portArg + 1]) : 61613;

const server = new StompServer({
  heartbeat: [0, 0],
  relay: { host: HOST, port: brokerPort, systemHeartbeat: [0, 0], clientHeartbeat: [0, 0], connectTimeout: 10_000 },
});
const up = server.relay.whenAvailable();
const timeout = setTimeout(() => {
  console.error(`no STOMP broker on ${HOST}:${brokerPort}`);
  process.exit(1);
}, 10_000);
await up;
clearTimeout(timeout);
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

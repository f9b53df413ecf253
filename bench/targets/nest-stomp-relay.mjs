#!/usr/bin/env node
// Our server relaying to an external broker (RabbitMQ by default), as the bench runs it: the built
// @nest-stomp/core StompServer with `relay`, WebSocket on /ws and TCP on ephemeral loopback ports.
//   npm run build && node bench/targets/nest-stomp-relay.mjs [--port 61613]
//   → prints {"tcp":PORT,"ws":PORT,"path":"/ws","pid":PID} once the relay's system session is up
// Heart-beats are off everywhere (clients, system and client broker connections).
import { StompServer } from '../../packages/stomp-core/dist/index.js';
import { HOST, serveTarget } from './serve-target.mjs';

const portArg = process.argv.indexOf('--port');
const brokerPort = portArg > 0 ? Number(process.argv[portArg + 1]) : 61613;

const server = new StompServer({
  heartbeat: [0, 0],
  relay: { host: HOST, port: brokerPort, systemHeartbeat: [0, 0], clientHeartbeat: [0, 0], connectTimeout: 10_000 },
});
const timeout = setTimeout(() => {
  console.error(`no STOMP broker on ${HOST}:${brokerPort}`);
  process.exit(1);
}, 10_000);
await server.relay.whenAvailable();
clearTimeout(timeout);
await serveTarget(server);

#!/usr/bin/env node
// Our real server, as the bench runs it: the built @nest-stomp/core StompServer on an http server
// (WebSocket at /ws) and a plain TCP listener, both on ephemeral loopback ports.
//   npm run build && node --expose-gc bench/targets/nest-stomp.mjs
//   → prints {"tcp":PORT,"ws":PORT,"path":"/ws","pid":PID} once listening
// Heart-beats are off ([0,0]) so the bench measures message traffic only.
import { StompServer } from '../../packages/stomp-core/dist/index.js';
import { serveTarget } from './serve-target.mjs';

await serveTarget(new StompServer({ heartbeat: [0, 0] }));

// Waits until a STOMP broker answers CONNECT with CONNECTED: `node wait-for-stomp.mjs <name> <port> [seconds]`.
// Used by .ci/run after starting RabbitMQ and ActiveMQ (a listening port is not yet a ready broker).
import { connect } from 'node:net';

const [name, port, seconds = '180'] = process.argv.slice(2);
const deadline = Date.now() + Number(seconds) * 1000;

function probe() {
  return new Promise((resolve) => {
    const socket = connect(Number(port), '127.0.0.1');
    let seen = '';
    const done = (ok) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), 3000);
    socket.on('connect', () => socket.write('CONNECT\naccept-version:1.1,1.2\nlogin:guest\npasscode:guest\nheart-beat:0,0\n\n\0'));
    socket.on('data', (chunk) => {
      seen += chunk.toString();
      if (seen.includes('\0')) done(seen.startsWith('CONNECTED'));
    });
    socket.on('error', () => done(false));
  });
}

for (;;) {
  if (await probe()) {
    console.log(`${name}: STOMP answers on 127.0.0.1:${port}`);
    process.exit(0);
  }
  if (Date.now() > deadline) {
    console.error(`${name}: no STOMP CONNECTED on 127.0.0.1:${port} after ${seconds} s`);
    process.exit(1);
  }
  await new Promise((resolve) => setTimeout(resolve, 1000));
}

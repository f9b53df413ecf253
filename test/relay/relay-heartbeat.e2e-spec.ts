// Heart-beats on the relay's broker connections, against a scripted broker (a TCP server that
// answers CONNECT and then only does what the test says): we beat when idle, and a broker that
// falls silent is given up after 3× its interval (Spring's tolerance): broker-unavailable.
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { useCleanup, onCleanup } from '../support/cleanup.js';
import { startServer } from '../support/test-server.js';
import { once, withTimeout } from '../support/wait.js';

useCleanup();

/** Answers CONNECT with CONNECTED (heart-beat as given), records what arrives, never beats itself. */
async function silentBroker(heartbeat: string): Promise<{ port: number; connects: string[]; eols: () => number; sockets: Socket[] }> {
  const connects: string[] = [];
  const sockets: Socket[] = [];
  let eols = 0;
  const server: Server = createServer((socket) => {
    sockets.push(socket);
    let head = '';
    let connected = false;
    socket.on('data', (chunk) => {
      let text = chunk.toString();
      if (!connected) {
        head += text;
        const nul = head.indexOf('\0');
        if (nul === -1) return;
        connects.push(head.slice(0, nul));
        connected = true;
        socket.write(`CONNECTED\nversion:1.2\nheart-beat:${heartbeat}\n\n\0`);
        text = head.slice(nul + 1);
      }
      for (const c of text) if (c === '\n') eols++; // after CONNECTED only heart-beats arrive here
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onCleanup(() => {
    for (const s of sockets) s.destroy();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  }, 'server');
  return { port: (server.address() as AddressInfo).port, connects, eols: () => eols, sockets };
}

describe('relay heart-beats', () => {
  it('the system session beats while idle and gives up a broker silent for 3× its interval', async () => {
    const broker = await silentBroker('100,100');
    const ts = await startServer({ relay: { host: '127.0.0.1', port: broker.port, systemHeartbeat: [100, 100], reconnectDelay: 60_000, userDestinationBroadcast: false, userRegistryBroadcast: false } });
    await withTimeout(ts.server.relay!.whenAvailable(), 3_000, 'broker-available');
    expect(broker.connects[0]).toMatch(/\nheart-beat:100,100\n/);
    expect(broker.connects[0]).toMatch(/\nlogin:guest\n/);
    const started = Date.now();
    const [error] = await once<[{ message: string; details?: string } | undefined]>(
      (listener) => {
        ts.server.on('broker-unavailable', listener as never);
        return () => ts.server.off('broker-unavailable', listener as never);
      },
      () => true,
      3_000,
      'broker-unavailable',
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(error?.details).toMatch(/No heart-beat from the broker/);
    expect(broker.eols()).toBeGreaterThanOrEqual(2); // we kept beating while waiting for the broker
  });
});

// The demo's TCP port: 61613 when free, the next free port (with a note) when a broker holds it.
import { createServer, type Server } from 'node:net';
import { chooseTcpPort } from '../src/chat-tcp-port.js';

const HOST = '127.0.0.1';

function listen(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, HOST, () => resolve(server));
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

describe('chooseTcpPort', () => {
  it('takes the preferred port when it is free, without a note', async () => {
    const probe = await listen(0);
    const free = (probe.address() as { port: number }).port;
    await close(probe);
    await expect(chooseTcpPort(undefined, HOST, free)).resolves.toEqual({ port: free });
  });

  it('moves to the next free port and says why when the preferred one is held', async () => {
    const holder = await listen(0);
    const held = (holder.address() as { port: number }).port;
    try {
      const chosen = await chooseTcpPort(undefined, HOST, held);
      expect(chosen.port).toBeGreaterThan(held);
      expect(chosen.port).toBeLessThanOrEqual(held + 6);
      expect(chosen.note).toContain(`port ${held} is in use`);
      expect(chosen.note).toContain(`on ${chosen.port}`);
      // The chosen port really is free: the app can listen on it.
      await close(await listen(chosen.port));
    } finally {
      await close(holder);
    }
  });

  it('uses an explicit STOMP_TCP_PORT as given, even one that is taken (listen fails loudly later)', async () => {
    const holder = await listen(0);
    const held = (holder.address() as { port: number }).port;
    try {
      await expect(chooseTcpPort(String(held), HOST)).resolves.toEqual({ port: held });
      await expect(chooseTcpPort('0', HOST)).resolves.toEqual({ port: 0 });
    } finally {
      await close(holder);
    }
  });

  it('refuses an explicit value that is not a port', async () => {
    await expect(chooseTcpPort('sixty', HOST)).rejects.toThrow("STOMP_TCP_PORT must be a port number (0-65535), got 'sixty'");
    await expect(chooseTcpPort('70000', HOST)).rejects.toThrow(/must be a port number/);
  });
});

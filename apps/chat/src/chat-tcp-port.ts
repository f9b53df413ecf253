import { createServer } from 'node:net';

/** The demo's plain-TCP STOMP port: the standard one, as the README promises. */
export const STOMP_STANDARD_PORT = 61613;
/** Ports tried after it when something else (RabbitMQ's STOMP plugin, most often) holds it. */
const FALLBACKS = 6;

export interface ChosenTcpPort {
  port: number;
  /** Set when the standard port was taken and a later one is used instead. */
  note?: string;
}

/**
 * The port the chat's TCP listener takes. An explicit `STOMP_TCP_PORT` is used as given (and fails
 * loudly at listen time if taken). Without it the demo prefers 61613, but a machine that runs
 * RabbitMQ or ActiveMQ with STOMP already has a broker there: rather than failing to start, the
 * demo takes the next free port and says so.
 */
export async function chooseTcpPort(explicit: string | undefined, host: string, preferred = STOMP_STANDARD_PORT): Promise<ChosenTcpPort> {
  if (explicit !== undefined && explicit !== '') {
    const port = Number(explicit);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw new Error(`STOMP_TCP_PORT must be a port number (0-65535), got '${explicit}'`);
    }
    return { port };
  }
  for (let port = preferred; port <= preferred + FALLBACKS; port++) {
    if (await isFree(port, host)) {
      if (port === preferred) return { port };
      return { port, note: `port ${preferred} is in use (a STOMP broker such as RabbitMQ?): plain-TCP STOMP is on ${port} (STOMP_TCP_PORT to choose)` };
    }
  }
  throw new Error(`ports ${preferred}-${preferred + FALLBACKS} are all in use: set STOMP_TCP_PORT (0 = any free port)`);
}

function isFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, host, () => probe.close(() => resolve(true)));
  });
}

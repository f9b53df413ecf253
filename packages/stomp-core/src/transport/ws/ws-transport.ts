import type { IncomingMessage, Server as HttpServer } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import { ProxyTrust, type TrustProxy } from '../../security/proxy-trust.js';
import type { StompConnection } from '../stomp-connection.js';
import { WsConnection } from './ws-connection.js';
import { addUpgradeRoute } from './upgrade-dispatcher.js';

/** WebSocket sub-protocols of STOMP, preferred first (the names stompjs and Spring use). */
export const STOMP_SUBPROTOCOLS = ['v12.stomp', 'v11.stomp', 'v10.stomp'] as const;

export interface WebSocketEndpointOptions {
  /** The HTTP server to share (the Nest app's). */
  server: HttpServer;
  /** Path of the endpoint. Default '/ws'. */
  path?: string;
  /** Largest WebSocket message accepted, in bytes (a STOMP frame may also span several messages). */
  maxPayload: number;
  /**
   * Called with the upgrade request before the handshake completes; returning a status code
   * refuses it with that HTTP status (used by origin checks). `remoteAddress`: the client's
   * address as `trustProxy` decided it (the socket's peer unless a trusted proxy forwarded it).
   */
  verify?: (request: IncomingMessage, remoteAddress: string | undefined) => number | undefined;
  /**
   * Browser origins allowed to connect (see OriginPolicy): default same origin as the request's
   * Host; a list of origins and `*` patterns; `['*']` any. Refused: HTTP 403 before any STOMP.
   */
  allowedOrigins?: readonly string[] | undefined;
  /**
   * Reverse proxies in front whose `X-Forwarded-For` is believed (see ProxyTrust): a hop count or
   * a list of proxy addresses / CIDR subnets. Default false: the header is ignored. The address it
   * yields is the connection's (and so the session's) `remoteAddress`, which connection limits count.
   */
  trustProxy?: TrustProxy | undefined;
}

export interface WebSocketEndpoint {
  readonly path: string;
  close(): Promise<void>;
}

function selectProtocol(offered: Set<string>): string | false {
  for (const protocol of STOMP_SUBPROTOCOLS) if (offered.has(protocol)) return protocol;
  // A client that offers none of ours still gets STOMP, just without a sub-protocol answer.
  return false;
}

/** Serves STOMP over WebSocket on `path` of an existing HTTP server. */
export function attachWebSocketEndpoint(
  options: WebSocketEndpointOptions,
  accept: (connection: StompConnection, request: IncomingMessage) => void,
): WebSocketEndpoint {
  const path = options.path ?? '/ws';
  // Validated before anything is attached: an invalid option leaves the HTTP server untouched.
  const proxies = new ProxyTrust(options.trustProxy);
  const wss = new WebSocketServer({
    noServer: true,
    handleProtocols: selectProtocol,
    maxPayload: options.maxPayload,
    clientTracking: true,
  });
  const removeRoute = addUpgradeRoute(options.server, path, (request, socket, head) => {
    // Once per connection, before the limits look at it: the verdict and the session agree.
    const remoteAddress = proxies.clientAddress(request);
    const refused = options.verify?.(request, remoteAddress);
    if (refused !== undefined) {
      const reason = refused === 403 ? 'Forbidden' : refused === 503 ? 'Service Unavailable' : 'Refused';
      socket.end(`HTTP/1.1 ${refused} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws: WebSocket) => {
      accept(new WsConnection(ws, remoteAddress), request);
    });
  });
  let closing: Promise<void> | undefined;
  return {
    path,
    close() {
      closing ??= new Promise<void>((resolve) => {
        removeRoute();
        for (const ws of wss.clients) ws.terminate();
        wss.close(() => resolve());
      });
      return closing;
    },
  };
}

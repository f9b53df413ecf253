/** The STOMP versions this implementation speaks, lowest first. */
export const STOMP_VERSIONS = ['1.0', '1.1', '1.2'] as const;
export type StompVersion = (typeof STOMP_VERSIONS)[number];

/**
 * Header map of one frame. Names are case-sensitive (STOMP 1.2: "Commands and header names are
 * case sensitive"); when a header is repeated only the first occurrence is kept (1.2: "only the
 * first header entry SHOULD be used"). Values are the decoded (unescaped) strings.
 */
export type StompHeaders = Record<string, string>;

/** One decoded or to-be-encoded frame. `body` is a slice of the input where possible, never a copy per reader. */
export interface StompFrame {
  command: string;
  headers: StompHeaders;
  body: Buffer;
}

/** Client frames a server accepts (STOMP 1.2 "Client Frames"). */
export const CLIENT_COMMANDS = [
  'CONNECT', 'STOMP', 'SEND', 'SUBSCRIBE', 'UNSUBSCRIBE', 'BEGIN', 'COMMIT', 'ABORT', 'ACK', 'NACK', 'DISCONNECT',
] as const;
export type ClientCommand = (typeof CLIENT_COMMANDS)[number];

/** Server frames (STOMP 1.2 "Server Frames"). */
export const SERVER_COMMANDS = ['CONNECTED', 'MESSAGE', 'RECEIPT', 'ERROR'] as const;
export type ServerCommand = (typeof SERVER_COMMANDS)[number];

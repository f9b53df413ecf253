/**
 * Byte-level shortcuts of the decoder's hot path. Every frame starts with a command and carries a
 * handful of headers from a small set (`destination`, `id`, `content-length`, ...); turning their
 * bytes into strings costs a native call and a fresh string per line, and the fresh name must
 * then be internalized to become a property key. Matching the bytes against the known spellings
 * returns the one constant string instead: no allocation, and the key's hash is already known.
 * Values are mostly short ASCII (ACK ids, `content-length`), built here without a native call.
 */

const BACKSLASH = 92;

/** Strings of one byte length, with their ASCII bytes. */
interface Known {
  readonly text: string;
  readonly bytes: Uint8Array;
}

function table(words: readonly string[]): readonly (readonly Known[] | undefined)[] {
  const byLength: Known[][] = [];
  for (const text of words) (byLength[text.length] ??= []).push({ text, bytes: Buffer.from(text, 'latin1') });
  return byLength;
}

/** Every command of STOMP 1.2, client and server. */
const COMMANDS = table([
  'CONNECT', 'STOMP', 'CONNECTED', 'SEND', 'SUBSCRIBE', 'UNSUBSCRIBE', 'ACK', 'NACK', 'BEGIN', 'COMMIT', 'ABORT',
  'DISCONNECT', 'MESSAGE', 'RECEIPT', 'ERROR',
]);

/** The headers the STOMP 1.2 frames define, plus the common broker extensions. None holds a backslash. */
const HEADER_NAMES = table([
  'accept-version', 'host', 'login', 'passcode', 'heart-beat', 'version', 'session', 'server', 'destination',
  'content-type', 'content-length', 'receipt', 'receipt-id', 'id', 'ack', 'subscription', 'message-id',
  'transaction', 'message', 'redelivered', 'prefetch-count', 'persistent', 'priority', 'expires',
]);

/**
 * Common values of the headers a session keeps for its whole life (the CONNECT headers, a
 * SUBSCRIBE's `ack`): a constant instead of a string per connection. None holds a backslash.
 */
const KEPT_VALUES = table([
  '1.0', '1.1', '1.2', '1.0,1.1', '1.1,1.2', '1.0,1.1,1.2', '1.2,1.1,1.0',
  '0,0', '10000,10000', '0,10000', '10000,0', '4000,4000', '20000,20000', '0,20000', '20000,0',
  'localhost', '127.0.0.1', '/',
  'auto', 'client', 'client-individual',
]);

/** The constant of `list` spelled by buf[s, e), or undefined. */
function lookup(list: readonly Known[] | undefined, buf: Uint8Array, s: number, e: number): string | undefined {
  if (list === undefined) return undefined;
  const length = e - s;
  for (let k = 0; k < list.length; k++) {
    const known = list[k]!;
    const bytes = known.bytes;
    let i = 0;
    while (i < length && bytes[i] === buf[s + i]) i++;
    if (i === length) return known.text;
  }
  return undefined;
}

/** A command name spelled by buf[s, e) as a shared constant; undefined for anything else. */
export function knownCommand(buf: Uint8Array, s: number, e: number): string | undefined {
  return lookup(COMMANDS[e - s], buf, s, e);
}

/**
 * A header name spelled by buf[s, e) as a shared constant; undefined for anything else. The known
 * names contain no backslash, so a match reads the same escaped or not.
 */
export function knownHeaderName(buf: Uint8Array, s: number, e: number): string | undefined {
  return lookup(HEADER_NAMES[e - s], buf, s, e);
}

/**
 * The value of a header kept for the session's life (`accept-version`, `heart-beat`, `host`, `ack`;
 * `name` a known-name constant) as a shared constant when it is a common one; undefined otherwise.
 */
export function keptValue(name: string | undefined, buf: Uint8Array, s: number, e: number): string | undefined {
  if (name !== 'accept-version' && name !== 'heart-beat' && name !== 'host' && name !== 'ack') return undefined;
  return lookup(KEPT_VALUES[e - s], buf, s, e);
}

/** Longest value shortAscii() builds; longer ones are cheaper as one native decode. */
export const SHORT_VALUE = 8;

const fcc = String.fromCharCode;

/**
 * buf[s, e) as a string when it is at most SHORT_VALUE bytes of ASCII without a backslash (the
 * text then needs no UTF-8 decoding and no unescaping in any version); undefined otherwise, and
 * the caller takes the general path. Fixed-arity fromCharCode calls: one string, no native call.
 */
export function shortAscii(buf: Uint8Array, s: number, e: number): string | undefined {
  if (e - s > SHORT_VALUE) return undefined;
  for (let i = s; i < e; i++) {
    const b = buf[i]!;
    if (b >= 0x80 || b === BACKSLASH) return undefined;
  }
  switch (e - s) {
    case 0:
      return '';
    case 1:
      return fcc(buf[s]!);
    case 2:
      return fcc(buf[s]!, buf[s + 1]!);
    case 3:
      return fcc(buf[s]!, buf[s + 1]!, buf[s + 2]!);
    case 4:
      return fcc(buf[s]!, buf[s + 1]!, buf[s + 2]!, buf[s + 3]!);
    case 5:
      return fcc(buf[s]!, buf[s + 1]!, buf[s + 2]!, buf[s + 3]!, buf[s + 4]!);
    case 6:
      return fcc(buf[s]!, buf[s + 1]!, buf[s + 2]!, buf[s + 3]!, buf[s + 4]!, buf[s + 5]!);
    case 7:
      return fcc(buf[s]!, buf[s + 1]!, buf[s + 2]!, buf[s + 3]!, buf[s + 4]!, buf[s + 5]!, buf[s + 6]!);
    case 8:
      return fcc(buf[s]!, buf[s + 1]!, buf[s + 2]!, buf[s + 3]!, buf[s + 4]!, buf[s + 5]!, buf[s + 6]!, buf[s + 7]!);
    default:
      return undefined;
  }
}

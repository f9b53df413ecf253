import type { StompVersion } from './stomp-frame.js';

/**
 * How header names and values are escaped on the wire:
 * 0 = not at all (STOMP 1.0, and CONNECT/STOMP/CONNECTED in every version),
 * 1 = STOMP 1.1 (`\n` `\c` `\\`), 2 = STOMP 1.2 (adds `\r`).
 * The number doubles as the index of BrokerMessage.encoded.
 */
export type EscapeFlavour = 0 | 1 | 2;

/** STOMP 1.1/1.2: "CONNECT and CONNECTED frames do not escape [...] for backward compatibility" (STOMP too). */
export function escapeFlavour(command: string, version: StompVersion): EscapeFlavour {
  if (version === '1.0' || command === 'CONNECT' || command === 'STOMP' || command === 'CONNECTED') return 0;
  return version === '1.1' ? 1 : 2;
}

/** Flavour of a version alone (for MESSAGE frames, which always escape from 1.1 on). */
export function versionFlavour(version: StompVersion): EscapeFlavour {
  return version === '1.0' ? 0 : version === '1.1' ? 1 : 2;
}

const BACKSLASH = 92;
const LF = 10;
const CR = 13;
const COLON = 58;
const NUL = 0;

/**
 * Decodes the escapes of one header name or value (STOMP 1.1 "Value Encoding", 1.2 adds `\r`).
 * Returns undefined on an undefined escape (incl. a trailing lone backslash, and `\r` in 1.1):
 * the spec makes those fatal protocol errors.
 */
export function unescapeHeader(text: string, flavour: EscapeFlavour): string | undefined {
  let i = text.indexOf('\\');
  if (i === -1 || flavour === 0) return text;
  let out = '';
  let from = 0;
  while (i !== -1) {
    out += text.slice(from, i);
    const c = text.charCodeAt(i + 1);
    if (c === 110) out += '\n';
    else if (c === 99) out += ':';
    else if (c === BACKSLASH) out += '\\';
    else if (c === 114 && flavour === 2) out += '\r';
    else return undefined;
    from = i + 2;
    i = text.indexOf('\\', from);
  }
  return out + text.slice(from);
}

/** The offending escape of a text unescapeHeader rejected, for the error message (slow path only). */
export function describeInvalidEscape(text: string, flavour: EscapeFlavour): string {
  for (let i = text.indexOf('\\'); i !== -1; i = text.indexOf('\\', i + 2)) {
    const next = text[i + 1];
    if (next === undefined) return 'a trailing "\\"';
    if (next === 'n' || next === 'c' || next === '\\' || (next === 'r' && flavour === 2)) continue;
    return `"\\${next}"`;
  }
  return 'an escape';
}

/** True when `text` holds a character the given flavour must rewrite (fast path: nothing to do). */
function needsRewrite(text: string, isName: boolean, flavour: EscapeFlavour): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === LF || c === CR || c === NUL) return true;
    if (c === COLON && (isName || flavour !== 0)) return true;
    if (c === BACKSLASH && flavour !== 0) return true;
  }
  return false;
}

/**
 * Encodes one header name or value for the wire. Escaping flavours (1.1, 1.2) apply the reverse
 * of unescapeHeader. What a flavour cannot carry is replaced so that the frame never breaks:
 * - no escaping (1.0, CONNECT/STOMP/CONNECTED): CR and LF would end the header line early → a space;
 *   ':' in a name would move the name/value split → '_'.
 * - 1.1 has no escape for CR: it is written raw, except as the last character of a value, where
 *   it would read as the CR of a CRLF line end (1.2 EOL, accepted by most decoders) → a space.
 * - NUL (U+0000) has no escape in any version and ends a frame for NUL-scanning peers → a space.
 */
export function escapeHeader(text: string, isName: boolean, flavour: EscapeFlavour): string {
  if (!needsRewrite(text, isName, flavour)) return text;
  let out = '';
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    let rep: string;
    if (c === NUL) rep = ' ';
    else if (flavour === 0) {
      if (c === LF || c === CR) rep = ' ';
      else if (c === COLON && isName) rep = '_';
      else continue;
    } else if (c === BACKSLASH) rep = '\\\\';
    else if (c === LF) rep = '\\n';
    else if (c === COLON) rep = '\\c';
    else if (c === CR) {
      if (flavour === 2) rep = '\\r';
      else if (!isName && i === text.length - 1) rep = ' ';
      else continue;
    } else continue;
    out += text.slice(from, i) + rep;
    from = i + 1;
  }
  return out + text.slice(from);
}

// The 128-byte message body: fixed-offset ASCII fields, so consumers read them straight from the
// receive buffer (no header parsing, no strings):
//   "p=PPPP s=SSSSSSSSSS t=TTTTTTTTTTTTTTTT " + 'x' padding
//    0      7           20                  39
// p = producer index, s = sequence number (per producer, from 0), t = send time in µs (wall clock
// from performance.timeOrigin, so it is comparable between worker threads).
import { performance } from 'node:perf_hooks';

export const BODY_SIZE = 128;
const PRODUCER_AT = 2;
const PRODUCER_DIGITS = 4;
const SEQ_AT = 9;
const SEQ_DIGITS = 10;
const TIME_AT = 22;
const TIME_DIGITS = 16;

export function bodyTemplate(producer) {
  const head = `p=${String(producer).padStart(PRODUCER_DIGITS, '0')} s=${'0'.repeat(SEQ_DIGITS)} t=${'0'.repeat(TIME_DIGITS)} `;
  return Buffer.from(head.padEnd(BODY_SIZE, 'x'));
}

export function nowMicros() {
  return Math.round((performance.timeOrigin + performance.now()) * 1000);
}

function writeDigits(buf, at, digits, value) {
  for (let i = at + digits - 1; i >= at; i--) {
    buf[i] = 48 + (value % 10);
    value = Math.floor(value / 10);
  }
}

function readDigits(buf, at, digits) {
  let value = 0;
  for (let i = at; i < at + digits; i++) value = value * 10 + (buf[i] - 48);
  return value;
}

/** Patches seq and time into the body that starts at `at` in `buf`. */
export function stamp(buf, at, seq, micros) {
  writeDigits(buf, at + SEQ_AT, SEQ_DIGITS, seq);
  writeDigits(buf, at + TIME_AT, TIME_DIGITS, micros);
}

/** True when a bench body starts at `at` (a cheap check before the fixed-offset reads). */
export function isBody(buf, at) {
  return at >= 0 && buf[at] === 112 /* p */ && buf[at + 1] === 61 /* = */ && buf[at + 7] === 115 /* s */;
}

export const readProducer = (buf, at) => readDigits(buf, at + PRODUCER_AT, PRODUCER_DIGITS);
export const readSeq = (buf, at) => readDigits(buf, at + SEQ_AT, SEQ_DIGITS);
export const readMicros = (buf, at) => readDigits(buf, at + TIME_AT, TIME_DIGITS);

/** Limits the decoder enforces while it parses, before it buffers anything past them. */
export interface CodecLimits {
  /** Largest whole frame in bytes: command, headers and body (Spring's inbound limit: 64 KiB). */
  maxFrameSize: number;
  /** Most header lines in one frame. */
  maxHeaders: number;
  /** Longest header line in bytes (name, colon and value, before unescaping). */
  maxHeaderLength: number;
}

export const DEFAULT_CODEC_LIMITS: Readonly<CodecLimits> = Object.freeze({
  maxFrameSize: 64 * 1024,
  maxHeaders: 64,
  maxHeaderLength: 8 * 1024,
});

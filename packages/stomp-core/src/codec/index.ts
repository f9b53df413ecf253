// The codec's public surface: frame types, limits, decoder, encoder and header escaping helpers.
export * from './stomp-frame.js';
export { DEFAULT_CODEC_LIMITS, type CodecLimits } from './codec-limits.js';
export { StompDecoder, type StompDecoderHandler, type StompDecoderOptions } from './stomp-decoder.js';
export {
  HEARTBEAT_EOL,
  cachedMessageTail,
  deliveryLines,
  encodeFrame,
  messageHead,
  messageIdLine,
  messageTail,
  prepareMessageTail,
  sequenceLinesLength,
  subscriptionHead,
  writeMessageTail,
  writeSequenceLines,
} from './stomp-encoder.js';
export { createHeaderMap } from './header-map.js';
export {
  escapeFlavour,
  versionFlavour,
  escapeHeader,
  unescapeHeader,
  type EscapeFlavour,
} from './header-escaping.js';

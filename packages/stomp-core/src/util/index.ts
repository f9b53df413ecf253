export { compilePattern, isPattern, MAX_PATTERN_SEGMENTS, type DestinationPattern } from './destination-pattern.js';
export { Deque } from './deque.js';
export { CompactMap } from './compact-map.js';

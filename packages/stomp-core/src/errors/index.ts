export { StompErrorCode } from './error-codes.js';
export { StompError } from './stomp.error.js';
export { StompProtocolError } from './stomp-protocol.error.js';
export { StompLimitError } from './stomp-limit.error.js';

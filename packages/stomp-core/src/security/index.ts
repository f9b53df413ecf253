export {
  NO_DESTINATION,
  type AccessRequest,
  type AccessVoter,
  type DestinationRule,
  type RuleAccess,
  type RuleFrameSelector,
  type RuleFrameType,
} from './destination-rule.js';
export { DestinationRules } from './destination-rules.js';
export { CsrfCheck, readCookie, type CsrfOptions } from './csrf-check.js';
export { OriginPolicy, type AllowedOrigins } from './origin-policy.js';
export { ProxyTrust, type TrustProxy } from './proxy-trust.js';

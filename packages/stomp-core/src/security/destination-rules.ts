import type { Delivery } from '../broker/message-broker.js';
import type { StompFrame } from '../codec/stomp-frame.js';
import { StompErrorCode } from '../errors/error-codes.js';
import { StompError } from '../errors/stomp.error.js';
import type { StompSession } from '../session/stomp-session.js';
import { compilePattern, isPattern, type DestinationPattern } from '../util/destination-pattern.js';
import {
  NO_DESTINATION,
  type AccessRequest,
  type AccessVoter,
  type DestinationRule,
  type RuleAccess,
  type RuleFrameType,
} from './destination-rule.js';

const FRAME_TYPES: readonly RuleFrameType[] = [
  'CONNECT', 'SEND', 'SUBSCRIBE', 'UNSUBSCRIBE', 'ACK', 'NACK', 'BEGIN', 'COMMIT', 'ABORT', 'DISCONNECT', 'MESSAGE',
];
/** Destinations whose rule match is remembered per frame type; past it the cache starts over. */
const MATCH_CACHE_LIMIT = 1_024;
/** Longest destination whose match is cached. */
const MAX_CACHED_DESTINATION = 256;
const NO_VARIABLES: Readonly<Record<string, string>> = Object.freeze({});

type Decide = (request: AccessRequest) => boolean | PromiseLike<boolean>;

interface CompiledRule {
  readonly index: number;
  /** 'permit' / 'deny' decide without building a request. */
  readonly constant: boolean | undefined;
  readonly decide: Decide;
}

interface RuleMatch {
  readonly rule: CompiledRule;
  readonly variables: Readonly<Record<string, string>>;
}

/** The rules one frame type can meet, indexed so that a frame costs a Map lookup once warm. */
class FrameTable {
  /** First rule matching this type without a destination (decided at compile time). */
  noDestination: CompiledRule | undefined;
  /** Literal destination → its first rule. */
  readonly exact = new Map<string, CompiledRule>();
  /** First rule of this type with no destination patterns (matches any destination). */
  catchAll: CompiledRule | undefined;
  /** Pattern rules in rule order (only those before `catchAll` can ever win). */
  readonly patterns: Array<{ rule: CompiledRule; pattern: DestinationPattern }> = [];
  private readonly cache = new Map<string, RuleMatch | null>();

  match(destination: string): RuleMatch | undefined {
    // Without pattern rules the answer is one Map lookup already; long destinations are not kept
    // (client-chosen strings: the cache must not become a way to make the server hold memory).
    if (this.patterns.length === 0 || destination.length > MAX_CACHED_DESTINATION) return this.find(destination);
    const cached = this.cache.get(destination);
    if (cached !== undefined) return cached ?? undefined;
    const found = this.find(destination);
    if (this.cache.size >= MATCH_CACHE_LIMIT) this.cache.clear();
    this.cache.set(destination, found ?? null);
    return found;
  }

  private find(destination: string): RuleMatch | undefined {
    const literal = this.exact.get(destination);
    const bound = Math.min(literal?.index ?? Infinity, this.catchAll?.index ?? Infinity);
    const patterns = this.patterns;
    for (let i = 0; i < patterns.length && patterns[i]!.rule.index < bound; i++) {
      const variables = patterns[i]!.pattern.match(destination);
      if (variables !== null) return { rule: patterns[i]!.rule, variables };
    }
    if (bound === Infinity) return undefined;
    return { rule: literal !== undefined && literal.index === bound ? literal : this.catchAll!, variables: NO_VARIABLES };
  }
}

function accessDenied(command: string, destination: string | undefined): StompError {
  const what = destination === undefined ? command : `${command} ${destination.slice(0, 256)}`;
  return new StompError(StompErrorCode.ACCESS_DENIED, 'Access denied', { details: `Access denied: ${what}` });
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

/** Voters one after the other, all must answer true; async only once one of them is. */
function allOf(voters: readonly AccessVoter[], request: AccessRequest, from: number): boolean | PromiseLike<boolean> {
  for (let i = from; i < voters.length; i++) {
    const verdict = voters[i]!(request);
    if (verdict === true) continue;
    if (isPromiseLike(verdict)) return Promise.resolve(verdict).then((ok) => ok === true && allOf(voters, request, i + 1));
    return false;
  }
  return true;
}

function compileAccess(access: RuleAccess, where: string): Pick<CompiledRule, 'constant' | 'decide'> {
  if (access === 'permit') return { constant: true, decide: () => true };
  if (access === 'deny') return { constant: false, decide: () => false };
  if (access === 'authenticated') return { constant: undefined, decide: (request) => request.principal !== undefined };
  if (typeof access === 'function') return { constant: undefined, decide: access };
  if (Array.isArray(access) && access.length > 0 && access.every((voter) => typeof voter === 'function')) {
    const voters = [...(access as readonly AccessVoter[])];
    return { constant: undefined, decide: (request) => allOf(voters, request, 0) };
  }
  throw new TypeError(`${where}: access must be 'permit', 'deny', 'authenticated', a function or a non-empty array of functions`);
}

/**
 * Destination rules, compiled once (server option `rules`): per frame type, the rule for frames
 * without a destination is decided at compile time, literal patterns sit in a Map, and the pattern
 * rules that could win are tried in order (no regular expression anywhere) with the result cached
 * per destination. First match wins; what no rule matches is denied (Spring's default).
 */
export class DestinationRules {
  /** True when some rule names MESSAGE: only then are deliveries checked. */
  readonly filtersMessages: boolean;
  private readonly tables = new Map<string, FrameTable>();

  constructor(rules: readonly DestinationRule[]) {
    if (!Array.isArray(rules)) throw new TypeError('rules must be an array');
    for (const type of FRAME_TYPES) this.tables.set(type, new FrameTable());
    this.tables.set('STOMP', this.tables.get('CONNECT')!);
    let filtersMessages = false;
    rules.forEach((rule, index) => {
      const where = `rules[${index}]`;
      if (typeof rule !== 'object' || rule === null) throw new TypeError(`${where}: a rule must be an object`);
      const compiled: CompiledRule = { index, ...compileAccess(rule.access, where) };
      const frames = rule.frames;
      if (frames !== undefined) {
        if (!Array.isArray(frames) || frames.length === 0) throw new TypeError(`${where}: frames must be a non-empty array`);
        for (const frame of frames) {
          if (frame !== NO_DESTINATION && !FRAME_TYPES.includes(frame)) {
            throw new TypeError(`${where}: unknown frame type '${String(frame)}' (${FRAME_TYPES.join(', ')}, ${NO_DESTINATION})`);
          }
        }
        if (frames.includes('MESSAGE')) filtersMessages = true;
      }
      const destinations = rule.destinations;
      if (destinations !== undefined && (!Array.isArray(destinations) || destinations.length === 0)) {
        throw new TypeError(`${where}: destinations must be a non-empty array`);
      }
      if (destinations !== undefined && frames?.includes(NO_DESTINATION)) {
        throw new TypeError(`${where}: ${NO_DESTINATION} cannot go with destinations`);
      }
      const patterns = (destinations ?? []).map((source: string) => {
        if (typeof source !== 'string' || !source.startsWith('/')) {
          throw new TypeError(`${where}: destination patterns must be strings starting with '/' (got ${JSON.stringify(source)})`);
        }
        try {
          return isPattern(source) ? compilePattern(source) : source;
        } catch (error) {
          throw new TypeError(`${where}: ${(error as Error).message}`);
        }
      });
      for (const type of FRAME_TYPES) {
        const table = this.tables.get(type)!;
        const typeMatches = frames === undefined || frames.includes(type);
        if ((typeMatches || frames!.includes(NO_DESTINATION)) && destinations === undefined) table.noDestination ??= compiled;
        if (!typeMatches) continue;
        if (destinations === undefined) {
          table.catchAll ??= compiled;
          continue;
        }
        for (const pattern of patterns) {
          if (typeof pattern === 'string') {
            if (!table.exact.has(pattern)) table.exact.set(pattern, compiled);
          } else table.patterns.push({ rule: compiled, pattern });
        }
      }
    });
    this.filtersMessages = filtersMessages;
  }

  /**
   * Inbound: returns when `frame` is permitted, throws ACCESS_DENIED when not, or returns a
   * Promise (async voters) that rejects with it.
   */
  enforce(session: StompSession, frame: StompFrame): void | Promise<void> {
    const command = frame.command;
    const destination = frame.headers.destination;
    const table = this.tables.get(command);
    const match = table === undefined ? undefined : this.matchIn(table, destination);
    if (match === undefined) throw accessDenied(command, destination);
    const { rule, variables } = match;
    if (rule.constant === true) return;
    if (rule.constant === false) throw accessDenied(command, destination);
    const request: AccessRequest = {
      command: command === 'STOMP' ? 'CONNECT' : (command as RuleFrameType),
      destination,
      variables,
      session,
      principal: session.principal,
      frame,
    };
    let verdict: boolean | PromiseLike<boolean>;
    try {
      verdict = rule.decide(request);
    } catch {
      throw accessDenied(command, destination);
    }
    if (verdict === true) return;
    if (!isPromiseLike(verdict)) throw accessDenied(command, destination);
    return Promise.resolve(verdict).then(
      (ok) => {
        if (ok !== true) throw accessDenied(command, destination);
      },
      () => {
        throw accessDenied(command, destination);
      },
    );
  }

  /** Outbound (only called when `filtersMessages`): may this delivery reach its subscription? Synchronous. */
  permitsDelivery(session: StompSession, delivery: Delivery): boolean {
    const message = delivery.message;
    const destination = message.deliveredAs ?? message.destination;
    const match = this.matchIn(this.tables.get('MESSAGE')!, destination);
    if (match === undefined) return false;
    const { rule, variables } = match;
    if (rule.constant !== undefined) return rule.constant;
    try {
      const verdict = rule.decide({
        command: 'MESSAGE',
        destination,
        variables,
        session,
        principal: session.principal,
        frame: undefined,
        message,
        subscription: delivery.subscription,
      });
      if (isPromiseLike(verdict)) {
        // Deliveries keep their order: no waiting here. Fail closed, and keep the rejection handled.
        Promise.resolve(verdict).catch(() => undefined);
        return false;
      }
      return verdict === true;
    } catch {
      return false;
    }
  }

  private matchIn(table: FrameTable, destination: string | undefined): RuleMatch | undefined {
    if (destination === undefined) {
      return table.noDestination === undefined ? undefined : { rule: table.noDestination, variables: NO_VARIABLES };
    }
    return table.match(destination);
  }
}

/**
 * Destination paths of mappings: joining a class prefix to a method pattern, and removing the
 * application prefix from a destination before matching (Spring's "lookup destination").
 */

function isSeparator(char: string | undefined): boolean {
  return char === '/' || char === '.';
}

/**
 * Joins a class-level `@MessageMapping` prefix and a method pattern. An explicit leading separator
 * on the method pattern wins (`'/chat'` + `'.room'` → `/chat.room`); otherwise `/` joins them, or `.`
 * when neither part uses `/` but one uses `.` (`'red'` + `'blue.{green}'` → `/red.blue.{green}`).
 * The result always starts with `/`, like the lookup destinations it is matched against.
 */
export function joinPatterns(prefix: string, pattern: string): string {
  let joined: string;
  if (prefix === '') joined = pattern;
  else if (pattern === '') joined = prefix;
  else {
    const base = isSeparator(prefix[prefix.length - 1]) && isSeparator(pattern[0]) ? prefix.slice(0, -1) : prefix;
    if (isSeparator(pattern[0]) || isSeparator(base[base.length - 1])) joined = base + pattern;
    else {
      const bothWithoutSlash = !base.includes('/') && !pattern.includes('/');
      const separator = bothWithoutSlash && (base.includes('.') || pattern.includes('.')) ? '.' : '/';
      joined = base + separator + pattern;
    }
  }
  return joined.startsWith('/') ? joined : `/${joined}`;
}

/**
 * The application destination prefixes (`applicationDestinationPrefixes`, default ['/app']).
 * `/app` takes `/app/greeting` (lookup `/greeting`) but not `/application`.
 */
export class ApplicationPrefixes {
  private readonly prefixes: string[];

  constructor(prefixes: readonly string[]) {
    this.prefixes = prefixes.map((prefix) => {
      if (!prefix.startsWith('/')) {
        throw new TypeError(`StompModule: applicationDestinationPrefixes entries must start with '/' (got '${prefix}')`);
      }
      return prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
    });
  }

  /** The destination without its application prefix (starting with `/`), or undefined when no prefix takes it. */
  lookup(destination: string): string | undefined {
    const prefixes = this.prefixes;
    for (let i = 0; i < prefixes.length; i++) {
      const prefix = prefixes[i]!;
      if (destination.length > prefix.length && destination.charCodeAt(prefix.length) === 0x2f && destination.startsWith(prefix)) {
        return destination.slice(prefix.length);
      }
    }
    return undefined;
  }

  /** First prefix, for log lines. */
  get first(): string {
    return this.prefixes[0] ?? '';
  }
}

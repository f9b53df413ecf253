/**
 * A `@SendTo` / `@SendToUser` destination with `{var}` placeholders, compiled once: filling it is a
 * join of literal parts and captured values, no parsing per message.
 */
export class DestinationTemplate {
  private readonly parts: string[] = [];
  private readonly names: string[] = [];

  constructor(readonly source: string) {
    let at = 0;
    for (;;) {
      const open = source.indexOf('{', at);
      if (open === -1) break;
      const close = source.indexOf('}', open);
      if (close === -1) throw new TypeError(`unclosed '{' in destination '${source}'`);
      this.parts.push(source.slice(at, open));
      this.names.push(source.slice(open + 1, close));
      at = close + 1;
    }
    this.parts.push(source.slice(at));
  }

  /** Placeholder names, in order. */
  get variables(): readonly string[] {
    return this.names;
  }

  fill(variables: Readonly<Record<string, string>>): string {
    if (this.names.length === 0) return this.source;
    let out = this.parts[0]!;
    for (let i = 0; i < this.names.length; i++) out += variables[this.names[i]!]! + this.parts[i + 1]!;
    return out;
  }
}

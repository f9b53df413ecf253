// Tiny `--name value` / `--flag` parser: the bench has no dependencies beyond `ws`.
export function parseArgs(argv, spec) {
  const out = {};
  for (const [name, def] of Object.entries(spec)) out[name] = def.default;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) throw new Error(`unexpected argument ${arg}`);
    let name = arg.slice(2);
    let value;
    const eq = name.indexOf('=');
    if (eq >= 0) {
      value = name.slice(eq + 1);
      name = name.slice(0, eq);
    }
    if (name.startsWith('no-') && spec[name.slice(3)]?.type === 'boolean') {
      out[name.slice(3)] = false;
      continue;
    }
    const def = spec[name];
    if (!def) throw new Error(`unknown option --${name}`);
    if (def.type === 'boolean') {
      out[name] = value === undefined ? true : value !== 'false';
      continue;
    }
    if (value === undefined) {
      value = argv[++i];
      if (value === undefined) throw new Error(`--${name} needs a value`);
    }
    out[name] = def.type === 'number' ? Number(value) : def.type === 'list' ? value.split(',').filter(Boolean) : value;
    if (def.type === 'number' && !Number.isFinite(out[name])) throw new Error(`--${name} must be a number`);
  }
  return out;
}

export function usage(spec) {
  return Object.entries(spec)
    .map(([name, def]) => `  --${name}${def.type === 'boolean' ? '' : ' <' + def.type + '>'}`.padEnd(28) +
      `${def.help}${def.default !== undefined && def.type !== 'boolean' ? ` (default ${def.default})` : ''}`)
    .join('\n');
}

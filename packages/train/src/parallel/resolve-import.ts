import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DescentArgumentError } from '@descent/tensor';

const conditions = ['node', 'import', 'default'];

/** The first target of an `exports` entry that matches the ESM conditions. */
function pickTarget(entry: unknown): string | undefined {
  if (typeof entry === 'string') return entry;
  if (Array.isArray(entry)) {
    for (const e of entry) {
      const t = pickTarget(e);
      if (t) return t;
    }
    return undefined;
  }
  if (entry && typeof entry === 'object') {
    for (const [key, value] of Object.entries(entry)) {
      if (!conditions.includes(key)) continue;
      const t = pickTarget(value);
      if (t) return t;
    }
  }
  return undefined;
}

/** The file a package.json offers for a subpath ('.' or './x') to `import`, or undefined. */
function packageEntry(dir: string, subpath: string): string | undefined {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;
  const exports = pkg['exports'];
  if (exports !== undefined) {
    const isMap = exports && typeof exports === 'object' && !Array.isArray(exports);
    const keys = isMap ? Object.keys(exports as object) : [];
    const map =
      isMap && keys.some((k) => k.startsWith('.')) ? (exports as Record<string, unknown>) : { '.': exports };
    const target = pickTarget(map[subpath]);
    return target ? join(dir, target) : undefined;
  }
  if (subpath !== '.') return join(dir, subpath);
  const main = (pkg['module'] ?? pkg['main'] ?? 'index.js') as string;
  return join(dir, main);
}

/** Splits a bare specifier into its package name and subpath: '@a/b/c' → ['@a/b', './c']. */
function splitBare(specifier: string): [string, string] {
  const parts = specifier.split('/');
  const nameParts = specifier.startsWith('@') ? 2 : 1;
  const rest = parts.slice(nameParts).join('/');
  return [parts.slice(0, nameParts).join('/'), rest ? `./${rest}` : '.'];
}

/** Resolves a bare specifier as `import` would from a file in `fromDir`, through node_modules. */
function resolveBare(specifier: string, fromDir: string): string | undefined {
  const [name, subpath] = splitBare(specifier);
  const dirs = createRequire(join(fromDir, 'noop.js')).resolve.paths(name) ?? [];
  for (const nodeModules of dirs) {
    const dir = join(nodeModules, name);
    if (!existsSync(join(dir, 'package.json'))) continue;
    const file = packageEntry(dir, subpath);
    if (file && existsSync(file)) return pathToFileURL(file).href;
  }
  return undefined;
}

/** The folder of the script Node was started with (`node path/to/train.mjs`), if any. */
function entryDir(): string | undefined {
  const entry = process.argv[1];
  return entry && isAbsolute(entry) ? dirname(entry) : undefined;
}

/**
 * Turns a module specifier that a worker thread should import into a URL it can import from
 * anywhere: URLs (file:, data:, node:) pass through, paths resolve against the working
 * directory, and a bare package name resolves as an ESM `import` would from the working
 * directory, else from the folder of the script Node started with, else from @descent/train's
 * own folder (`selfDir`).
 */
export function resolveImport(
  specifier: string | URL,
  selfDir: string,
  cwd = process.cwd(),
  scriptDir = entryDir(),
): string {
  if (specifier instanceof URL) return specifier.href;
  if (typeof specifier !== 'string' || specifier === '') {
    throw new DescentArgumentError(
      `imports: expected module specifiers (strings or URLs), found ${String(specifier)}`,
    );
  }
  if (/^(file|data|node):/.test(specifier)) return specifier;
  if (isAbsolute(specifier)) return pathToFileURL(specifier).href;
  if (specifier.startsWith('./') || specifier.startsWith('../'))
    return pathToFileURL(resolve(cwd, specifier)).href;
  const bases = [cwd, scriptDir, selfDir].filter((d): d is string => d !== undefined);
  for (const base of bases) {
    const url = resolveBare(specifier, base);
    if (url) return url;
  }
  throw new DescentArgumentError(
    `imports: expected a module installed where the working directory, the main script or @descent/train can import it (${bases.join(', ')}), found '${specifier}' (pass a file URL instead, e.g. import.meta.resolve('${specifier}'))`,
  );
}

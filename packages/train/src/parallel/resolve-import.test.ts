import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { resolveImport } from './resolve-import';

const here = fileURLToPath(new URL('.', import.meta.url));

/** A throw-away project with one package whose exports list conditions in a given order. */
function project(): string {
  const root = mkdtempSync(join(tmpdir(), 'resolve-import-'));
  const pkg = join(root, 'node_modules', '@x', 'layers');
  mkdirSync(join(pkg, 'dist'), { recursive: true });
  for (const f of ['index.cjs', 'index.js', 'extra.js', 'legacy.js']) writeFileSync(join(pkg, 'dist', f), '');
  const exports = {
    '.': { require: './dist/index.cjs', import: { types: './dist/index.d.ts', default: './dist/index.js' } },
    './extra': './dist/extra.js',
  };
  writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: '@x/layers', exports }));
  const old = join(root, 'node_modules', 'old');
  mkdirSync(old, { recursive: true });
  writeFileSync(join(old, 'legacy.js'), '');
  writeFileSync(join(old, 'package.json'), JSON.stringify({ name: 'old', main: 'legacy.js' }));
  return root;
}

describe('resolveImport', () => {
  it('resolves a bare name as an ESM import from the working directory (exports, conditions, subpaths, main)', () => {
    const root = project();
    const sub = join(root, 'src');
    mkdirSync(sub);
    const url = (p: string) => pathToFileURL(join(root, 'node_modules', p)).href;
    expect(resolveImport('@x/layers', here, sub, tmpdir())).toBe(url('@x/layers/dist/index.js'));
    expect(resolveImport('@x/layers/extra', here, sub)).toBe(url('@x/layers/dist/extra.js'));
    expect(resolveImport('old', here, root)).toBe(url('old/legacy.js'));
    // From the main script's folder when the working directory has no such package.
    expect(resolveImport('old', here, tmpdir(), join(root, 'scripts'))).toBe(url('old/legacy.js'));
  });

  it("falls back to @descent/train's own dependencies", () => {
    const root = project();
    expect(resolveImport('@descent/layers', here, root, tmpdir())).toMatch(
      /^file:.*\/layers\/dist\/index\.js$/,
    );
  });

  it('passes URLs through and turns paths into file URLs', () => {
    expect(resolveImport(new URL('file:///a/b.mjs'), here)).toBe('file:///a/b.mjs');
    expect(resolveImport('data:text/javascript,1', here)).toBe('data:text/javascript,1');
    expect(resolveImport('/a/b.mjs', here)).toBe('file:///a/b.mjs');
    expect(resolveImport('./b.mjs', here, '/a')).toBe('file:///a/b.mjs');
  });

  it('names the specifier it cannot find, and rejects what is no specifier', () => {
    const root = project();
    expect(() => resolveImport('@x/missing', here, root)).toThrow(
      /imports: expected a module installed .* found '@x\/missing'/,
    );
    expect(() => resolveImport('@x/layers/nope', here, root)).toThrow(/found '@x\/layers\/nope'/);
    expect(() => resolveImport('', here)).toThrow(/imports: expected module specifiers/);
    expect(() => resolveImport(3 as unknown as string, here)).toThrow(/imports: expected module specifiers/);
  });
});

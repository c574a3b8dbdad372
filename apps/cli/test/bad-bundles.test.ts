import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { main } from '../src/main';
import { cases } from './bad-inputs/bundles';

/** Every file under a folder, as paths relative to it. */
function listing(root: string, dir = root): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? [`${relative(root, join(dir, e.name))}/`, ...listing(root, join(dir, e.name))]
      : [relative(root, join(dir, e.name))],
  );
}

const roots: string[] = [];
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

// The shared catalogue runner (another file) runs these through the built binary; this runs the
// bundle category in-process, so that it stays quick.
describe('bad bundles and model paths', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_, c) => {
    const dir = mkdtempSync(join(tmpdir(), 'descent-bad-bundle-'));
    roots.push(dir);
    for (const [path, contents] of Object.entries(c.files ?? {})) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      if (!path.endsWith('/')) writeFileSync(join(dir, path), contents);
    }
    const before = listing(dir).sort();
    let stderr = '';
    const write = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      stderr += String(chunk);
      return true;
    });
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    let code: number;
    try {
      code = await main(['node', 'descent', ...c.args.map((a) => a.replaceAll('{dir}', dir))]);
    } finally {
      write.mockRestore();
      stdout.mockRestore();
    }
    expect(code, stderr).toBe(c.exitCode);
    for (const text of c.stderrIncludes) expect(stderr).toContain(text);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(listing(dir).sort(), 'files left behind').toEqual(before);
  });
});

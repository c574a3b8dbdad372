import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/main';
import type { BadInputCase } from './bad-inputs/case';

// Every bad input of the catalogue, run in-process through `main` (spawning hundreds of node
// processes would take minutes): its exit code, the thing it names on stderr, no stack trace,
// and no file left behind. Each file of test/bad-inputs but case.ts exports `cases`.

const folder = fileURLToPath(new URL('./bad-inputs/', import.meta.url));
const caseFiles = readdirSync(folder)
  .filter((f) => f.endsWith('.ts') && f !== 'case.ts')
  .sort();
const all: BadInputCase[] = [];
for (const file of caseFiles) {
  const m = (await import(`./bad-inputs/${file}`)) as { cases?: BadInputCase[] };
  if (!Array.isArray(m.cases)) throw new Error(`bad-inputs/${file}: expected an export named cases`);
  all.push(...m.cases);
}

const root = mkdtempSync(join(tmpdir(), 'descent-bad-inputs-'));
const fixtures = { table: join(root, 'table'), toy: join(root, 'toy') };

/** Runs `descent ...args` in this process; its exit code and what it wrote. */
async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const writeOut = process.stdout.write;
  const writeErr = process.stderr.write;
  process.stdout.write = ((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  }) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  }) as typeof process.stderr.write;
  try {
    const code = await main(['node', 'descent', ...args]);
    return { code, stdout, stderr };
  } finally {
    process.stdout.write = writeOut;
    process.stderr.write = writeErr;
  }
}

/** Every path under `dir` with its size and time: what a case must leave as it found it. */
function listing(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const path = join(d, name);
      const info = statSync(path);
      out.push(`${path} ${info.isDirectory() ? 'dir' : `${info.size} ${info.mtimeMs}`}`);
      if (info.isDirectory()) walk(path);
    }
  };
  walk(dir);
  return out;
}

const totals = new Map<string, { cases: number; passed: number }>();

beforeAll(async () => {
  const trained = [
    ['train', '--dataset', 'penguins', '--epochs', '2', '--quiet', '--out', fixtures.table],
    ['train', '--dataset', 'dosage', '--epochs', '20', '--quiet', '--out', fixtures.toy],
  ];
  for (const args of trained) {
    const { code, stderr } = await run(args);
    if (code !== 0) throw new Error(`could not train a fixture (${args.join(' ')}): ${stderr}`);
  }
});

afterAll(() => {
  const rows = [...totals].sort(([a], [b]) => a.localeCompare(b));
  const width = Math.max(8, ...rows.map(([c]) => c.length));
  const lines = [
    `bad-input catalogue: ${all.length} cases`,
    `${'category'.padEnd(width)}  cases  passed`,
    ...rows.map(
      ([c, t]) => `${c.padEnd(width)}  ${String(t.cases).padStart(5)}  ${String(t.passed).padStart(6)}`,
    ),
  ];
  console.log(lines.join('\n'));
  rmSync(root, { recursive: true, force: true });
});

describe('the bad-input catalogue', () => {
  it('holds at least 200 cases, each named once', () => {
    expect(all.length).toBeGreaterThanOrEqual(200);
    const names = all.map((c) => `${c.category}: ${c.name}`);
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
  });

  for (const c of all) {
    const total = totals.get(c.category) ?? { cases: 0, passed: 0 };
    total.cases++;
    totals.set(c.category, total);
    it(`${c.category}: ${c.name}`, async () => {
      const dir = mkdtempSync(join(root, 'case-'));
      for (const [name, contents] of Object.entries(c.files ?? {})) {
        mkdirSync(dirname(join(dir, name)), { recursive: true });
        writeFileSync(join(dir, name), contents);
      }
      const args = c.args.map((a) =>
        a.replaceAll('{dir}', dir).replaceAll('{table}', fixtures.table).replaceAll('{toy}', fixtures.toy),
      );
      const before = [listing(dir), listing(fixtures.table), listing(fixtures.toy)];
      const { code, stderr } = await run(args);
      const context = `descent ${args.join(' ')}\n${stderr}`;
      expect(code, context).toBe(c.exitCode);
      for (const text of c.stderrIncludes) expect(stderr, context).toContain(text);
      expect(
        stderr.split('\n').filter((l) => /^\s+at /.test(l)),
        context,
      ).toEqual([]);
      expect([listing(dir), listing(fixtures.table), listing(fixtures.toy)], context).toEqual(before);
      total.passed++;
    });
  }
});

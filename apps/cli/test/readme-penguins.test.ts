import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

// The root README's "A table, from CSV to explanation" block, run line by line as it stands, in an
// empty folder holding only the shipped CSV at the path the README names. `pnpm descent` is the
// built bin. If the README drifts from what the CLI does, this fails.
const repo = fileURLToPath(new URL('../../../', import.meta.url));
const bin = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const readme = readFileSync(join(repo, 'README.md'), 'utf8');
const section = readme.split('## A table, from CSV to explanation')[1] ?? '';
const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
const commands = block.split('\n').filter((line) => line.startsWith('pnpm descent '));
const tmp = mkdtempSync(join(tmpdir(), 'descent-readme-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("the README's penguins commands", () => {
  it('train, predict, evaluate and explain the shipped CSV with no extra flag', () => {
    expect(commands.map((c) => c.split(' ')[2])).toEqual(['train', 'predict', 'evaluate', 'explain']);
    const csv = 'packages/datasets/data/penguins.csv';
    mkdirSync(join(tmp, 'packages/datasets/data'), { recursive: true });
    copyFileSync(join(repo, csv), join(tmp, csv));
    const outputs = commands.map((line) => {
      // The README's lines hold no quotes or shell syntax: split on spaces is the shell's reading.
      const args = line.slice('pnpm descent '.length).split(/\s+/);
      return execFileSync(process.execPath, [bin, ...args], { cwd: tmp, encoding: 'utf8', timeout: 300_000 });
    });
    const [train, predict, evaluate, explain] = outputs;
    // 11 rows have no sex (NA or "."); two of them have no measurements either.
    expect(train).toMatch(
      /missing\s+11 rows dropped for missing values \(policy: drop\); 11 of them had no "sex"/,
    );
    expect(train).toMatch(/next: descent predict --model runs\/penguins-sex/);
    expect(predict).toMatch(/wrote 342 predictions to runs\/penguins-sex\.csv/);
    expect(predict).toMatch(/2 rows dropped for missing values \(policy: drop\)/);
    expect(evaluate).toMatch(/333 rows/);
    expect(evaluate).toMatch(/11 rows dropped for missing values/);
    expect(explain).toMatch(/wrote runs\/penguins-sex\.html/);
    for (const file of ['runs/penguins-sex/model.json', 'runs/penguins-sex.csv', 'runs/penguins-sex.html']) {
      expect(existsSync(join(tmp, file))).toBe(true);
    }
    const manifest = JSON.parse(readFileSync(join(tmp, 'runs/penguins-sex/model.json'), 'utf8'));
    expect(JSON.stringify(manifest)).toMatch(/"missing":"drop"/);
  });
});

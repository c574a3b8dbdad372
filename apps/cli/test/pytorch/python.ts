import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Debian's Python, which has python3-torch (the `python3` first on PATH may not). */
export const PYTHON = process.env.DESCENT_PYTHON ?? '/usr/bin/python3';

/** Runs Python; `args` may be a script path or `-c CODE` / `-m MODULE` and their arguments. */
export function python(args: string[], options: { cwd?: string; timeout?: number } = {}) {
  const result = spawnSync(PYTHON, args, {
    encoding: 'utf8',
    cwd: options.cwd,
    timeout: options.timeout ?? 180_000,
    env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', PYTHONDONTWRITEBYTECODE: '1' },
  });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** Fails loudly (not a skip) when PyTorch is missing: these tests are part of the suite. */
export function requireTorch(): void {
  const probe = python(['-c', 'import torch; print(torch.__version__)']);
  if (probe.status !== 0) {
    throw new Error(
      `${PYTHON}: expected PyTorch (Debian's python3-torch; .ci/run installs it with scripts/apt-install.sh), found: ${probe.stderr.trim().split('\n').pop()}`,
    );
  }
}

/** Each line's comma-separated cells; numbers compared within `tolerance`, text exactly. */
export function expectSameTable(actual: string, expected: string, tolerance: number): void {
  const a = actual.trim().split('\n');
  const e = expected.trim().split('\n');
  if (a.length !== e.length) throw new Error(`expected ${e.length} lines, found ${a.length}`);
  a.forEach((line, i) => {
    const x = line.split(',');
    const y = e[i].split(',');
    if (x.length !== y.length)
      throw new Error(`line ${i + 1}: expected ${y.length} cells, found ${x.length}`);
    x.forEach((cell, j) => {
      const p = Number(cell);
      const q = Number(y[j]);
      const same = Number.isNaN(q) || y[j] === '' ? cell === y[j] : Math.abs(p - q) <= tolerance;
      if (!same) throw new Error(`line ${i + 1}, cell ${j + 1}: expected ${y[j]}, found ${cell}`);
    });
  });
}

/** The shipped penguins CSV without the rows that have a missing value, written into `dir`. */
export function completePenguins(dir: string): string {
  const shipped = new URL('../../../../packages/datasets/data/penguins.csv', import.meta.url);
  const [header, ...rows] = readFileSync(shipped, 'utf8').trim().split('\n');
  const kept = rows.filter((r) => !r.split(',').some((c) => c === 'NA' || c === '' || c === '.'));
  const path = join(dir, 'penguins-complete.csv');
  writeFileSync(path, `${[header, ...kept].join('\n')}\n`);
  return path;
}

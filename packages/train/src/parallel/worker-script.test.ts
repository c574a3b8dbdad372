import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { moduleDir, WORKER_FILE, workerScript } from './worker-script';

describe('workerScript', () => {
  it('finds the built worker from the sources (dist/ of this package)', () => {
    expect(workerScript()).toMatch(/packages\/train\/dist\/parallel-worker\.js$/);
    expect(moduleDir()).toMatch(/src\/parallel$/);
  });

  it('says what to build when the worker is missing', () => {
    const empty = mkdtempSync(join(tmpdir(), 'no-worker-'));
    expect(() => workerScript(empty)).toThrow(
      new RegExp(`${WORKER_FILE} was not found .*build @descent/train first`),
    );
  });
});

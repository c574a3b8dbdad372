import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const penguinsCsv = readFileSync(
  fileURLToPath(new URL('../../../packages/datasets/data/penguins.csv', import.meta.url)),
  'utf8',
);
const tmp = mkdtempSync(join(tmpdir(), 'descent-json-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Runs descent with `input` on stdin; stdout must be exactly one JSON document when --json is given. */
function descent(args: string[], input = '') {
  const r = spawnSync(process.execPath, [bin, ...args], { input, encoding: 'utf8', timeout: 300_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('--json and - for stdin/stdout', () => {
  it('info, train, evaluate and predict print one JSON document on stdout, the report on stderr', () => {
    const info = descent(['info', '--json']);
    expect(info.status).toBe(0);
    expect(JSON.parse(info.stdout).backend).toMatch(/wasm|cpu/);

    const model = join(tmp, 'penguins');
    const train = descent(
      ['train', '--csv', '-', '--target', 'sex', '--epochs', '5', '--out', model, '--json'],
      penguinsCsv,
    );
    expect(train.status).toBe(0);
    const trained = JSON.parse(train.stdout);
    expect(trained.command).toBe('train');
    expect(trained.result.history).toHaveLength(5);
    expect(trained.result.test.accuracy).toBeGreaterThan(0);
    expect(train.stderr).toMatch(/held-out test set/);
    expect(train.stderr).toMatch(/<stdin>|rows dropped/);

    const evaluate = descent(['evaluate', '--model', model, '--csv', '-', '--json'], penguinsCsv);
    expect(evaluate.status).toBe(0);
    expect(Object.keys(JSON.parse(evaluate.stdout).metrics)).toContain('accuracy');
    expect(evaluate.stderr).toMatch(/11 rows dropped for missing values/);

    const predict = descent(['predict', '--model', model, '--csv', '-', '--json'], penguinsCsv);
    expect(predict.status).toBe(0);
    const predicted = JSON.parse(predict.stdout);
    expect(predicted.labels).toEqual(['FEMALE', 'MALE']);
    expect(predicted.predictions).toHaveLength(342);
    expect(predicted.predictions[0]).toHaveLength(1);

    const csvOut = descent(['predict', '--model', model, '--csv', '-', '--out', '-'], penguinsCsv);
    expect(csvOut.status).toBe(0);
    expect(csvOut.stdout.split('\n')[0]).toBe('row,probability_FEMALE,probability_MALE,predicted');
    expect(csvOut.stderr).toMatch(/2 rows dropped for missing values/);

    const toy = descent(['train', '--dataset', 'dosage', '--epochs', '20', '--json']);
    expect(toy.status).toBe(0);
    expect(JSON.parse(toy.stdout).result.history).toHaveLength(20);
  });
});

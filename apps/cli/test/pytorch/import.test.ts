import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { descent } from '../run-cli';
import { expectSameTable, python, requireTorch } from './python';

const tmp = mkdtempSync(join(tmpdir(), 'descent-torch-import-'));
const helper = fileURLToPath(new URL('../../python', import.meta.url));
const shipped = fileURLToPath(new URL('../../../../packages/datasets/data/penguins.csv', import.meta.url));

describe('a torch nn.Sequential written as a descent bundle by descent_torch.save_bundle', () => {
  beforeAll(() => requireTorch());

  it('is read by descent predict with torch’s own predictions', () => {
    const [header, ...rows] = readFileSync(shipped, 'utf8').trim().split('\n');
    const kept = rows.filter((r) => !r.split(',').some((c) => c === 'NA' || c === '' || c === '.'));
    const csv = join(tmp, 'rows.csv');
    writeFileSync(csv, `${[header, ...kept].join('\n')}\n`);
    const source = join(tmp, 'source');
    expect(
      descent('train', '--dataset', 'penguins', '--epochs', '2', '--out', source, '--quiet').status,
    ).toBe(0);
    const out = join(tmp, 'from-torch');
    // A network descent did not train: torch's own initialisation, a shape descent did not pick,
    // three classes' scores read as two (the table's preprocessing and labels are reused).
    const script = `
import sys, torch, json
sys.path.insert(0, ${JSON.stringify(helper)})
from descent_torch import save_bundle, load_bundle, predict_csv_lines
torch.manual_seed(0)
_, like = load_bundle(${JSON.stringify(source)})
net = torch.nn.Sequential(torch.nn.Linear(7, 9), torch.nn.Tanh(), torch.nn.Dropout(0.1),
                          torch.nn.Linear(9, 4), torch.nn.LeakyReLU(0.2), torch.nn.Linear(4, 2))
save_bundle(net.eval(), ${JSON.stringify(out)}, like=like, loss="crossEntropy", outputKind="classScores")
print("\\n".join(predict_csv_lines(net.eval(), {**like, "outputKind": "classScores"}, ${JSON.stringify(csv)})))
`;
    const torch = python(['-c', script]);
    expect(torch.status, torch.stderr).toBe(0);
    const ours = descent('predict', '--model', out, '--csv', csv);
    expect(ours.status, ours.stderr).toBe(0);
    expectSameTable(ours.stdout, torch.stdout, 2e-6);
    const manifest = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8'));
    expect(manifest.architecture.layers.map((l: { type: string }) => l.type)).toEqual([
      'Linear',
      'Tanh',
      'Dropout',
      'Linear',
      'LeakyReLU',
      'Linear',
    ]);
  });

  it('refuses a layer descent does not have, naming it', () => {
    const script = `
import sys, torch
sys.path.insert(0, ${JSON.stringify(helper)})
from descent_torch import save_bundle
save_bundle(torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.PReLU()), ${JSON.stringify(join(tmp, 'no'))}, loss="mse", outputKind="value")
`;
    const run = python(['-c', script]);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('PReLU: descent has no such layer');
  });
});

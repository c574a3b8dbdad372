import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import '@descent/cnn';
import { initBackend, memory, tf } from '@descent/tensor';
import { loadBundle, saveBundle } from '@descent/train/node';
import { beforeAll, describe, expect, it } from 'vitest';
import { python, requireTorch } from './python';

const tmp = mkdtempSync(join(tmpdir(), 'descent-torch-cnn-'));
const helper = fileURLToPath(new URL('../../python', import.meta.url));

/** Max |a - b| over two equally long lists. */
function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

describe('a torch CNN with batch norm, dilation, groups and ceil-mode pooling, to descent and back', () => {
  beforeAll(async () => {
    requireTorch();
    await initBackend();
  });

  it('predicts what torch predicts, within 1e-5, both ways', async () => {
    const fromTorch = join(tmp, 'from-torch');
    const io = join(tmp, 'io.json');
    // Batch norm's running statistics are made non-trivial by a few training-mode passes, so a
    // model that ignored them (or loaded them under the wrong keys) would be caught.
    const script = `
import sys, json, torch
from torch import nn
sys.path.insert(0, ${JSON.stringify(helper)})
from descent_torch import save_bundle
torch.manual_seed(7)
net = nn.Sequential(
    nn.Conv2d(2, 6, 3, padding=2, dilation=2), nn.BatchNorm2d(6), nn.ReLU(),
    nn.Conv2d(6, 6, 3, padding=1, groups=3), nn.BatchNorm2d(6), nn.ReLU(),
    nn.MaxPool2d(2, ceil_mode=True), nn.Flatten(), nn.Linear(6 * 5 * 5, 4))
with torch.no_grad():
    for _ in range(5):
        net(torch.randn(16, 2, 9, 9) * 2 + 0.5)
net.eval()
x = torch.randn(5, 2, 9, 9)
y = net(x).detach()
save_bundle(net, ${JSON.stringify(fromTorch)}, loss="crossEntropy", outputKind="classScores", inputShape=[2, 9, 9])
json.dump({"x": x.flatten().tolist(), "y": y.flatten().tolist()}, open(${JSON.stringify(io)}, "w"))
`;
    const made = python(['-c', script]);
    expect(made.status, made.stderr).toBe(0);
    const { x, y } = JSON.parse(readFileSync(io, 'utf8')) as { x: number[]; y: number[] };

    const before = memory().numTensors;
    const { model, manifest } = await loadBundle(fromTorch);
    model.eval();
    const input = tf.tensor4d(x, [5, 2, 9, 9]);
    const out = model.forward(input);
    expect(out.shape).toEqual([5, 4]);
    expect(maxDiff(out.dataSync(), y)).toBeLessThan(1e-5);
    tf.dispose([input, out]);

    // descent writes it again; torch reads descent's bundle and predicts the same.
    const back = join(tmp, 'back');
    await saveBundle(back, model, {
      loss: manifest.loss,
      outputKind: manifest.outputKind,
      inputShape: [2, 9, 9],
    });
    model.dispose();
    expect(memory().numTensors).toBe(before);
    const reread = python([
      '-c',
      `
import sys, json, torch
sys.path.insert(0, ${JSON.stringify(helper)})
from descent_torch import load_bundle
net, _ = load_bundle(${JSON.stringify(back)})
x = torch.tensor(json.load(open(${JSON.stringify(io)}))["x"]).reshape(5, 2, 9, 9)
print(json.dumps(net(x).flatten().tolist()))
`,
    ]);
    expect(reread.status, reread.stderr).toBe(0);
    expect(maxDiff(JSON.parse(reread.stdout), y)).toBeLessThan(1e-5);
    const keys = Object.keys(
      JSON.parse(readFileSync(join(back, 'model.json'), 'utf8')).architecture.layers[0],
    );
    expect(keys).toEqual(expect.arrayContaining(['dilation']));
  });
});

describe('torch normalisation, GELU, SiLU and Embedding layers, to descent and back', () => {
  beforeAll(async () => {
    requireTorch();
    await initBackend();
  });

  for (const [name, net, inputCode, shape, dtype] of [
    [
      'BatchNorm1d, LayerNorm, GELU (tanh), SiLU, Dropout',
      'nn.Sequential(nn.Linear(6, 8), nn.BatchNorm1d(8), nn.GELU(approximate="tanh"), nn.Linear(8, 8), nn.LayerNorm(8), nn.SiLU(), nn.Dropout(0.3), nn.Linear(8, 3), nn.GELU())',
      'torch.randn(7, 6) * 3',
      [7, 6],
      'float32',
    ],
    [
      'Embedding, Flatten',
      'nn.Sequential(nn.Embedding(10, 4), nn.Flatten(), nn.Linear(12, 2))',
      'torch.randint(0, 10, (7, 3))',
      [7, 3],
      'int32',
    ],
  ] as const) {
    it(`${name}: descent predicts what torch predicts within 1e-5, and torch reads descent's bundle`, async () => {
      const dir = join(tmp, name.replace(/\W+/g, '-'));
      const io = `${dir}.json`;
      const made = python([
        '-c',
        `
import sys, json, torch
from torch import nn
sys.path.insert(0, ${JSON.stringify(helper)})
from descent_torch import save_bundle
torch.manual_seed(3)
net = ${net}
net.train()
with torch.no_grad():
    for _ in range(4):
        net(${inputCode.replace('(7,', '(16,').replace('randn(7', 'randn(16')})
net.eval()
x = ${inputCode}
y = net(x).detach()
save_bundle(net, ${JSON.stringify(dir)}, loss="mse", outputKind="value")
json.dump({"x": x.flatten().tolist(), "y": y.flatten().tolist()}, open(${JSON.stringify(io)}, "w"))
`,
      ]);
      expect(made.status, made.stderr).toBe(0);
      const { x, y } = JSON.parse(readFileSync(io, 'utf8')) as { x: number[]; y: number[] };
      const before = memory().numTensors;
      const { model } = await loadBundle(dir);
      model.eval();
      const input = tf.tensor(x, [...shape], dtype);
      const out = model.forward(input);
      expect(maxDiff(out.dataSync(), y)).toBeLessThan(1e-5);
      tf.dispose([input, out]);
      const back = `${dir}-back`;
      await saveBundle(back, model, { loss: 'mse', outputKind: 'value' });
      model.dispose();
      expect(memory().numTensors).toBe(before);
      const reread = python([
        '-c',
        `
import sys, json, torch
sys.path.insert(0, ${JSON.stringify(helper)})
from descent_torch import load_bundle
net, _ = load_bundle(${JSON.stringify(back)})
x = torch.tensor(json.load(open(${JSON.stringify(io)}))["x"]).reshape(${JSON.stringify(shape)})
print(json.dumps(net(x${dtype === 'int32' ? '.long()' : ''}).flatten().tolist()))
`,
      ]);
      expect(reread.status, reread.stderr).toBe(0);
      expect(maxDiff(JSON.parse(reread.stdout), y)).toBeLessThan(1e-5);
    });
  }
});

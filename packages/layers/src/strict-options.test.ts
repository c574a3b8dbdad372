import { tf } from '@descent/tensor';
import { describe, expect, it } from 'vitest';
import { BatchNorm1d } from './batch-norm1d';
import { Dropout } from './dropout';
import { Embedding } from './embedding';
import { GELU } from './gelu';
import { Identity } from './identity';
import { LayerNorm } from './layer-norm';
import { LeakyReLU } from './leaky-relu';
import { Linear } from './linear';
import type { Module, ModuleConfig } from './module';
import { ModuleBuffer } from './module-buffer';
import { fromConfig } from './registry';
import { ReLU } from './relu';
import { Sequential } from './sequential';
import { Sigmoid } from './sigmoid';
import { SiLU } from './silu';
import { Softmax } from './softmax';
import { Softplus } from './softplus';
import { Tanh } from './tanh';

describe('positional arguments follow PyTorch', () => {
  it('Dropout(p), LeakyReLU(negativeSlope), Softmax(dim), Softplus(beta), GELU(approximate)', () => {
    expect(new Dropout(0.2).p).toBe(0.2);
    expect(new Dropout(0.2, { seed: 3 }).toJSON()).toEqual({ type: 'Dropout', p: 0.2, seed: 3 });
    expect(new Dropout({ p: 0.3 }).p).toBe(0.3);
    expect(new Dropout().p).toBe(0.5);
    expect(new LeakyReLU(0.2).negativeSlope).toBe(0.2);
    expect(new LeakyReLU({ negativeSlope: 0.3 }).negativeSlope).toBe(0.3);
    expect(new LeakyReLU().negativeSlope).toBe(0.01);
    expect(new Softmax(0).dim).toBe(0);
    expect(new Softplus(2, { threshold: 10 }).toJSON()).toEqual({ type: 'Softplus', beta: 2, threshold: 10 });
    expect(new GELU('tanh').approximate).toBe('tanh');
    expect(new GELU().approximate).toBe('none');
    expect(() => new Dropout(1.5)).toThrow('Dropout: p: expected a number in [0, 1], found 1.5');
    expect(() => new Dropout({ p: 0.2 }, { seed: 1 })).toThrow(
      'Dropout: options: expected nothing after an options object',
    );
    expect(() => new Dropout(0.2, { p: 0.3 } as never)).toThrow(
      'Dropout: options: expected keys among "seed", found unknown option "p"',
    );
  });
});

describe('strict options', () => {
  it('every layer rejects an unknown option by name, suggesting the camelCase of a snake_case one', () => {
    expect(() => new Dropout({ rate: 0.2 } as never)).toThrow(
      'Dropout: options: expected keys among "p", "seed", found unknown option "rate"',
    );
    expect(() => new LeakyReLU({ negative_slope: 0.2 } as never)).toThrow(
      'LeakyReLU: options: expected keys among "negativeSlope", found unknown option "negative_slope" (did you mean "negativeSlope"?)',
    );
    expect(() => new Linear(2, 3, { bais: false } as never)).toThrow(
      'Linear: options: expected keys among "bias", "init", "biasInit", "seed", found unknown option "bais"',
    );
    expect(() => new Softmax({ axis: 1 } as never)).toThrow('Softmax: options: expected keys among "dim"');
    expect(() => new Softplus({ beta: 1, thresh: 3 } as never)).toThrow('found unknown option "thresh"');
    expect(() => new LayerNorm(4, { elementwise_affine: false } as never)).toThrow(
      '(did you mean "elementwiseAffine"?)',
    );
    expect(() => new BatchNorm1d(4, { track_running_stats: false } as never)).toThrow(
      '(did you mean "trackRunningStats"?)',
    );
    expect(() => new Embedding(4, 2, { padding_idx: 0 } as never)).toThrow(
      'found unknown option "padding_idx"',
    );
    expect(() => new GELU({ approximation: 'tanh' } as never)).toThrow(
      'found unknown option "approximation"',
    );
    expect(() => new GELU('fast' as never)).toThrow(
      "GELU: approximate: expected 'none' or 'tanh', found \"fast\"",
    );
  });

  it('fromConfig refuses a config key the type does not record', () => {
    expect(() => fromConfig({ type: 'Dropout', p: 0.2, inplace: true })).toThrow(
      'fromConfig: Dropout config: options: expected keys among "p", "seed", found unknown option "inplace"',
    );
    expect(() => fromConfig({ type: 'ReLU', inplace: true })).toThrow(
      'fromConfig: ReLU config: options: expected keys among (none), found unknown option "inplace"',
    );
    expect(() => fromConfig({ type: 'Linear', inFeatures: 2, outFeatures: 3, in_features: 2 })).toThrow(
      '(did you mean "inFeatures"?)',
    );
    expect(() => fromConfig({ type: 'Sequential', layers: [], modules: [] })).toThrow(
      'unknown option "modules"',
    );
  });
});

describe('toJSON records what a layer takes, and fromConfig restores it', () => {
  const cases: { name: string; make: () => Module; input: () => tf.Tensor }[] = [
    {
      name: 'Linear without bias',
      make: () => new Linear(3, 2, { bias: false, seed: 1 }),
      input: () => tf.ones([2, 3]),
    },
    { name: 'Dropout(0.2), seeded', make: () => new Dropout(0.2, { seed: 4 }), input: () => tf.ones([2, 3]) },
    { name: 'LeakyReLU(0.2)', make: () => new LeakyReLU(0.2), input: () => tf.linspace(-2, 2, 6) },
    { name: 'Softmax(0)', make: () => new Softmax(0), input: () => tf.ones([2, 3]) },
    {
      name: 'Softplus(2, threshold 5)',
      make: () => new Softplus(2, { threshold: 5 }),
      input: () => tf.linspace(-4, 4, 6),
    },
    { name: 'GELU tanh', make: () => new GELU('tanh'), input: () => tf.linspace(-3, 3, 7) },
    { name: 'SiLU', make: () => new SiLU(), input: () => tf.linspace(-3, 3, 7) },
    { name: 'ReLU', make: () => new ReLU(), input: () => tf.linspace(-3, 3, 7) },
    { name: 'Sigmoid', make: () => new Sigmoid(), input: () => tf.linspace(-3, 3, 7) },
    { name: 'Tanh', make: () => new Tanh(), input: () => tf.linspace(-3, 3, 7) },
    { name: 'Identity', make: () => new Identity(), input: () => tf.linspace(-3, 3, 7) },
    {
      name: 'LayerNorm([2, 3]), eps 1e-3, no affine',
      make: () => new LayerNorm([2, 3], { eps: 1e-3, elementwiseAffine: false }),
      input: () => tf.randomNormal([4, 2, 3], 0, 1, 'float32', 1),
    },
    {
      name: 'BatchNorm1d, momentum null',
      make: () => new BatchNorm1d(3, { momentum: null, eps: 1e-3 }),
      input: () => tf.randomNormal([5, 3], 0, 1, 'float32', 2),
    },
    {
      name: 'Embedding(6, 2)',
      make: () => new Embedding(6, 2, { seed: 3 }),
      input: () => tf.tensor2d([[0, 5, 2]], [1, 3], 'int32'),
    },
    {
      name: 'nested Sequential',
      make: () =>
        new Sequential([
          new Linear(3, 4, { seed: 5 }),
          new GELU(),
          new Sequential([new Linear(4, 1, { seed: 6 })]),
        ]),
      input: () => tf.ones([2, 3]),
    },
  ];
  for (const { name, make, input } of cases) {
    it(name, () => {
      const before = tf.memory().numTensors;
      const layer = make();
      const config = JSON.parse(JSON.stringify(layer)) as ModuleConfig;
      const rebuilt = fromConfig(config);
      expect(rebuilt.constructor).toBe(layer.constructor);
      expect(rebuilt.toJSON()).toEqual(layer.toJSON());
      const dict = layer.stateDict();
      rebuilt.loadStateDict(dict);
      tf.dispose(Object.values(dict));
      layer.eval();
      rebuilt.eval();
      const x = input();
      const [a, b] = [layer.forward(x), rebuilt.forward(x)];
      expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
      tf.dispose([x, a, b]);
      layer.dispose();
      rebuilt.dispose();
      expect(tf.memory().numTensors).toBe(before);
    });
  }
});

describe('buffers under PyTorch’s names', () => {
  it('a ModuleBuffer may name itself; old camelCase keys still load into it', () => {
    const before = tf.memory().numTensors;
    const bn = new BatchNorm1d(2);
    expect(bn.namedBuffers().map(([n]) => n)).toEqual(['running_mean', 'running_var', 'num_batches_tracked']);
    const old = {
      weight: tf.ones([2]),
      bias: tf.zeros([2]),
      runningMean: tf.tensor1d([1, 2]),
      runningVar: tf.ones([2]),
      numBatchesTracked: tf.scalar(3, 'int32'),
    };
    expect(bn.loadStateDict(old)).toEqual({ missingKeys: [], unexpectedKeys: [] });
    expect(Array.from(bn.runningMean?.value.dataSync() ?? [])).toEqual([1, 2]);
    // Where both spellings are present, the PyTorch one is the model's and the old one unexpected.
    const both = {
      ...old,
      running_mean: tf.zeros([2]),
      running_var: tf.ones([2]),
      num_batches_tracked: tf.scalar(1, 'int32'),
    };
    expect(() => bn.loadStateDict(both)).toThrow(
      'unexpected keys: runningMean, runningVar, numBatchesTracked',
    );
    tf.dispose([...Object.values(both)]);
    bn.dispose();
    const initial = tf.zeros([1]);
    expect(() => new ModuleBuffer(initial, { name: 'running mean' })).toThrow(
      'ModuleBuffer: name: expected an identifier such as "running_mean", found "running mean"',
    );
    initial.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

import { tf } from '@descent/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import fixtures from '../fixtures/torch-layers.json';
import { BatchNorm1d } from './batch-norm1d';
import { Embedding } from './embedding';
import { GELU } from './gelu';
import { LayerNorm } from './layer-norm';
import type { Module } from './module';
import { SiLU } from './silu';

// Each layer against PyTorch 1.13 (fixtures/make-layer-fixtures.py): the output, and the
// gradients of sum(y · r) for the input and every parameter, from one forward.

interface Shaped {
  shape: number[];
  data: number[];
}
interface Probe {
  y: Shaped;
  r: number[];
  params: Record<string, Shaped>;
  grads: Record<string, number[]>;
  gradX?: number[];
}

const TOLERANCE = 1e-5;
const worst: Record<string, number> = {};

afterAll(() => {
  // DESCENT_REPORT_DIFFS=1 prints the largest difference from PyTorch per layer.
  if (process.env['DESCENT_REPORT_DIFFS']) console.info(worst);
});

function maxAbsDiff(actual: ArrayLike<number>, expected: number[]): number {
  expect(actual.length).toBe(expected.length);
  let m = 0;
  for (let i = 0; i < expected.length; i++) m = Math.max(m, Math.abs(actual[i] - expected[i]));
  return m;
}

function close(layer: string, what: string, actual: ArrayLike<number>, expected: number[]): void {
  const d = maxAbsDiff(actual, expected);
  worst[layer] = Math.max(worst[layer] ?? 0, d);
  expect(d, `${layer}: ${what}`).toBeLessThan(TOLERANCE);
}

/** Loads PyTorch's parameters, runs one forward and backward, and compares everything. */
function checkAgainstTorch(
  layer: string,
  module: Module,
  x: Shaped,
  probe: Probe,
  dtype: 'float32' | 'int32',
): void {
  tf.tidy(() => {
    for (const [name, p] of module.namedParameters()) {
      p.variable.assign(tf.tensor(probe.params[name].data, probe.params[name].shape));
    }
  });
  expect(module.namedParameters().map(([n]) => n)).toEqual(Object.keys(probe.params));
  const before = tf.memory().numTensors;
  const input = tf.tensor(x.data, x.shape, dtype);
  const r = tf.tensor(probe.r, probe.y.shape);
  const params = module.parameters().map((p) => p.variable);
  const float = dtype === 'float32';
  let y: tf.Tensor | undefined;
  const grads = tf.grads((...args: tf.Tensor[]) => {
    y = tf.keep(module.forward(float ? args[0] : input));
    return tf.sum(tf.mul(y, r)) as tf.Scalar;
  })(float ? [input, ...params] : params);
  const output = y as unknown as tf.Tensor;
  expect(output.shape).toEqual(probe.y.shape);
  close(layer, 'y', output.dataSync(), probe.y.data);
  const paramGrads = float ? grads.slice(1) : grads;
  if (float && probe.gradX) close(layer, 'grad x', grads[0].dataSync(), probe.gradX);
  Object.keys(probe.params).forEach((name, i) => {
    close(layer, `grad ${name}`, paramGrads[i].dataSync(), probe.grads[name]);
  });
  tf.dispose([output, input, r, ...grads]);
  expect(tf.memory().numTensors, `${layer}: tensors left behind`).toBe(before);
}

describe('LayerNorm against PyTorch', () => {
  for (const c of fixtures.layerNorm) {
    it(c.name, () => {
      const ln = new LayerNorm(c.normalizedShape, { eps: c.eps, elementwiseAffine: c.elementwiseAffine });
      checkAgainstTorch('LayerNorm', ln, c.x, c as unknown as Probe, 'float32');
      ln.dispose();
    });
  }
});

describe('BatchNorm1d against PyTorch', () => {
  for (const c of fixtures.batchNorm1d) {
    it(`${c.name}: training steps, running statistics, eval and state-dict keys`, () => {
      const bn = new BatchNorm1d(c.numFeatures, { momentum: c.momentum, affine: c.affine });
      const values = (b: { value: tf.Tensor } | null) => Array.from(b?.value.dataSync() ?? []);
      for (const step of c.steps) {
        checkAgainstTorch('BatchNorm1d', bn, step.x, step as unknown as Probe, 'float32');
        close('BatchNorm1d', 'running_mean', values(bn.runningMean), step.running_mean);
        close('BatchNorm1d', 'running_var', values(bn.runningVar), step.running_var);
        expect(values(bn.numBatchesTracked)).toEqual([step.num_batches_tracked]);
      }
      bn.eval();
      checkAgainstTorch('BatchNorm1d', bn, c.eval.x, c.eval as unknown as Probe, 'float32');
      const dict = bn.stateDict();
      expect(Object.keys(dict)).toEqual(c.stateDictKeys);
      tf.dispose(Object.values(dict));
      bn.dispose();
    });
  }
});

describe('Embedding against PyTorch', () => {
  for (const c of fixtures.embedding) {
    it(c.name, () => {
      const emb = new Embedding(c.numEmbeddings, c.embeddingDim);
      checkAgainstTorch('Embedding', emb, c.indices, c as unknown as Probe, 'int32');
      emb.dispose();
    });
  }
});

describe('GELU and SiLU against PyTorch', () => {
  for (const c of fixtures.gelu) {
    it(`GELU ${c.name}`, () => {
      const gelu = new GELU(c.name.includes('tanh') ? 'tanh' : 'none');
      checkAgainstTorch(`GELU ${gelu.approximate}`, gelu, c.x, c as unknown as Probe, 'float32');
    });
  }
  for (const c of fixtures.silu) {
    it('SiLU', () => checkAgainstTorch('SiLU', new SiLU(), c.x, c as unknown as Probe, 'float32'));
  }
});

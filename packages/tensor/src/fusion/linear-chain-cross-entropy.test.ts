import { afterEach, describe, expect, it } from 'vitest';
import { normals, onBackend, relativeError } from '../../test/parity';
import { tf } from '../index';
import { NATIVE_KERNELS_FLAG, nativeKernelInfo } from '../kernels/native-kernels';
import { fusedCrossEntropy } from './fused-cross-entropy';
import { fusedLinearChain, type LinearLayer } from './fused-linear';
import { linearChainCrossEntropy } from './linear-chain-cross-entropy';

const native = nativeKernelInfo().active;
afterEach(() => tf.env().set(NATIVE_KERNELS_FLAG, true));

const t = (shape: number[], seed: number) => tf.tensor(normals(shape, seed), shape);

/** Chains to try: widths after the input's 23, with a ReLU after the layer or not, with a bias or not. */
const CHAINS: Record<string, { out: number; relu: boolean; bias: boolean }[]> = {
  'one layer': [{ out: 7, relu: false, bias: true }],
  'one layer with a ReLU': [{ out: 7, relu: true, bias: false }],
  'three layers (a bias and a ReLU missing)': [
    { out: 11, relu: true, bias: true },
    { out: 7, relu: false, bias: false },
    { out: 5, relu: true, bias: true },
  ],
  'an MLP 23-16-8-10': [
    { out: 16, relu: true, bias: true },
    { out: 8, relu: true, bias: true },
    { out: 10, relu: false, bias: true },
  ],
};

const ROWS = 37;

function chainOf(spec: (typeof CHAINS)[string]): { x: tf.Tensor; layers: LinearLayer[]; labels: Int32Array } {
  let width = 23;
  const layers = spec.map((c, l) => {
    const weight = t([c.out, width], 10 + l);
    width = c.out;
    return { weight, bias: c.bias ? t([c.out], 20 + l) : null, relu: c.relu };
  });
  const labels = Int32Array.from({ length: ROWS }, (_, i) => (i * 7 + 3) % width);
  return { x: t([ROWS, 23], 1), layers, labels };
}

const paramsOf = (layers: LinearLayer[]) => layers.flatMap((l) => (l.bias ? [l.weight, l.bias] : [l.weight]));

/** Mean cross-entropy and its parameter gradients by tfjs's plain ops (logSoftmax), on the cpu backend. */
function byOps(
  x: tf.Tensor,
  layers: LinearLayer[],
  labels: Int32Array,
): { loss: number; grads: Float32Array[] } {
  const params = paramsOf(layers);
  const f = (...ps: tf.Tensor[]) => {
    let at = 0;
    const h = layers.reduce((h, l) => {
      const z = tf.matMul(h, ps[at++], false, true);
      const zb = l.bias ? tf.add(z, ps[at++]) : z;
      return l.relu ? tf.relu(zb) : zb;
    }, x);
    const onehot = tf.oneHot(tf.tensor1d(labels, 'int32'), h.shape[1] as number);
    return tf.neg(tf.mean(tf.sum(tf.mul(tf.logSoftmax(h), onehot), 1))) as tf.Scalar;
  };
  const { value, grads } = tf.valueAndGrads(f)(params);
  const out = { loss: value.dataSync()[0], grads: grads.map((g) => g.dataSync() as Float32Array) };
  tf.dispose([value, ...grads]);
  return out;
}

/** The same step through the tape: the chain's kernel and the fused loss, as the Learner ran it before. */
function byTape(x: tf.Tensor, layers: LinearLayer[], labels: Int32Array) {
  const vars = paramsOf(layers) as tf.Variable[];
  const { value, grads } = tf.variableGrads(
    () =>
      fusedCrossEntropy(fusedLinearChain(x, layers) as tf.Tensor, tf.tensor1d(labels, 'int32')) as tf.Scalar,
    vars,
  );
  const out = { loss: value.dataSync()[0], grads: vars.map((v) => grads[v.name].dataSync() as Float32Array) };
  tf.dispose([value, ...Object.values(grads)]);
  return out;
}

describe('linearChainCrossEntropy (a Linear chain and cross-entropy: value and gradients, no tape)', () => {
  for (const [name, spec] of Object.entries(CHAINS)) {
    it.runIf(native)(
      `${name}: tfjs's values on the cpu backend, and the taped step's gradients to the bit`,
      async () => {
        const expected = await onBackend('cpu', () => {
          const { x, layers, labels } = chainOf(spec);
          return byOps(x, layers, labels);
        });
        await onBackend('wasm', () => {
          const { x, layers, labels } = chainOf(spec);
          const vars = layers.map((l) => ({
            ...l,
            weight: tf.variable(l.weight),
            bias: l.bias && tf.variable(l.bias),
          }));
          const taped = byTape(x, vars, labels);
          const before = tf.memory().numTensors;
          const result = linearChainCrossEntropy(x, labels, vars, { keepLogits: true });
          if (!result) throw new Error('linearChainCrossEntropy: expected it to run here');
          expect(tf.memory().numTensors).toBe(before + result.grads.length);
          expect(result.grads.length).toBe(expected.grads.length);
          const grads = result.grads.map((g) => g.dataSync() as Float32Array);
          for (const [i, g] of grads.entries()) {
            expect(g).toEqual(taped.grads[i]);
            expect(relativeError(g, expected.grads[i])).toBeLessThan(1e-5);
          }
          expect(Math.abs(result.loss - expected.loss)).toBeLessThan(1e-5 * Math.abs(expected.loss));
          expect(Math.abs(result.loss - taped.loss)).toBeLessThan(1e-6 * Math.abs(taped.loss));
          const logits = fusedLinearChain(x, vars) as tf.Tensor;
          expect(result.logits).toEqual(logits.dataSync());
          tf.dispose([logits, ...result.grads, x, ...paramsOf(vars)]);
        });
      },
    );
  }

  it.runIf(native)('keeps no logits unless asked, and leaks nothing over many steps', async () => {
    await onBackend('wasm', () => {
      const { x, layers, labels } = chainOf(CHAINS['an MLP 23-16-8-10']);
      const before = tf.memory().numTensors;
      for (let i = 0; i < 5; i++) {
        const result = linearChainCrossEntropy(x, labels, layers);
        expect(result?.logits).toBeUndefined();
        tf.dispose(result?.grads);
      }
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([x, ...paramsOf(layers)]);
    });
  });

  it('is undefined where it does not run or for inputs it does not take, for the taped step to run', async () => {
    await onBackend('wasm', () => {
      const { x, layers, labels } = chainOf(CHAINS['three layers (a bias and a ReLU missing)']);
      const outOfRange = labels.slice();
      outOfRange[3] = 5;
      expect(linearChainCrossEntropy(x, outOfRange, layers)).toBeUndefined();
      expect(linearChainCrossEntropy(x, labels.subarray(1), layers)).toBeUndefined();
      expect(linearChainCrossEntropy(x, labels, [layers[1]])).toBeUndefined();
      expect(linearChainCrossEntropy(x, labels, [])).toBeUndefined();
      expect(linearChainCrossEntropy(tf.reshape(x, [ROWS, 23, 1]), labels, layers)).toBeUndefined();
      tf.env().set(NATIVE_KERNELS_FLAG, false);
      expect(linearChainCrossEntropy(x, labels, layers)).toBeUndefined();
    });
    await onBackend('cpu', () => {
      const { x, layers, labels } = chainOf(CHAINS['one layer']);
      expect(linearChainCrossEntropy(x, labels, layers)).toBeUndefined();
    });
  });

  it('names the argument it cannot take', () => {
    const { x, layers, labels } = chainOf(CHAINS['one layer']);
    const bad =
      (...args: unknown[]) =>
      () =>
        (linearChainCrossEntropy as (...a: unknown[]) => unknown)(...args);
    expect(bad('x', labels, layers)).toThrow(/linearChainCrossEntropy: x: expected a tensor/);
    expect(bad(x, [1, 2], layers)).toThrow(/linearChainCrossEntropy: labels: expected an Int32Array/);
    expect(bad(x, labels, 'layers')).toThrow(/linearChainCrossEntropy: layers: expected an array/);
    expect(bad(x, labels, [{ weight: 1, bias: null, relu: true }])).toThrow(
      /linearChainCrossEntropy: layers\[0\]\.weight: expected a tensor/,
    );
    expect(bad(x, labels, layers, { keepLogit: true })).toThrow(
      /linearChainCrossEntropy: options: expected only keepLogits/,
    );
    expect(bad(x, labels, layers, { keepLogits: 1 })).toThrow(
      /linearChainCrossEntropy: options\.keepLogits: expected a boolean/,
    );
    tf.dispose([x, ...paramsOf(layers)]);
  });
});

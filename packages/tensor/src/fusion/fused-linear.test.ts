import { afterEach, describe, expect, it } from 'vitest';
import { normals, onBackend, relativeError, valuesOn } from '../../test/parity';
import { tf } from '../index';
import { NATIVE_KERNELS_FLAG, nativeKernelInfo } from '../kernels/native-kernels';
import { fusedLinear, fusedLinearChain } from './fused-linear';

const native = nativeKernelInfo().active;
afterEach(() => tf.env().set(NATIVE_KERNELS_FLAG, true));

const t = (shape: number[], seed: number) => tf.tensor(normals(shape, seed), shape);

/** relu?(x Wᵀ + b) and the gradients of sum(y · r) for x, W and b, by tfjs's own ops. */
function byOps(relu: boolean, withBias: boolean): tf.Tensor[] {
  const [x, w, b, r] = [t([37, 23], 1), t([11, 23], 2), t([11], 3), t([37, 11], 4)];
  const layer = (xi: tf.Tensor, wi: tf.Tensor, bi?: tf.Tensor) => {
    const z = tf.matMul(xi, wi, false, true);
    const zb = bi ? tf.add(z, bi) : z;
    return relu ? tf.relu(zb) : zb;
  };
  if (withBias) {
    const grads = tf.grads((xi, wi, bi) => tf.sum(tf.mul(layer(xi, wi, bi), r)))([x, w, b]);
    return [layer(x, w, b), ...grads];
  }
  const grads = tf.grads((xi, wi) => tf.sum(tf.mul(layer(xi, wi), r)))([x, w]);
  return [layer(x, w), ...grads];
}

/** The same through fusedLinear. */
function byKernel(relu: boolean, withBias: boolean): tf.Tensor[] {
  const [x, w, b, r] = [t([37, 23], 1), t([11, 23], 2), t([11], 3), t([37, 11], 4)];
  const run = (xi: tf.Tensor, wi: tf.Tensor, bi: tf.Tensor | null) => {
    const y = fusedLinear(xi, wi, bi, relu);
    if (y == null) throw new Error('fusedLinear: expected it to run here');
    return y;
  };
  if (withBias) {
    const grads = tf.grads((xi, wi, bi) => tf.sum(tf.mul(run(xi, wi, bi), r)))([x, w, b]);
    return [run(x, w, b), ...grads];
  }
  const grads = tf.grads((xi, wi) => tf.sum(tf.mul(run(xi, wi, null), r)))([x, w]);
  return [run(x, w, null), ...grads];
}

/** A chain 23 → 11 → 7 → 5 (one layer's bias missing, one ReLU missing) and sum(y · r)'s gradients. */
const CHAIN = [
  { out: 11, relu: true, bias: true },
  { out: 7, relu: false, bias: false },
  { out: 5, relu: true, bias: true },
];

function chainInputs() {
  let width = 23;
  const layers = CHAIN.map((c, l) => {
    const weight = t([c.out, width], 10 + l);
    width = c.out;
    return { weight, bias: c.bias ? t([c.out], 20 + l) : null, relu: c.relu };
  });
  return { x: t([37, 23], 1), layers, r: t([37, 5], 4) };
}

/** The chain's output and the gradients for x, then each layer's weight and bias. */
function chainGrads(run: (x: tf.Tensor, layers: ReturnType<typeof chainInputs>['layers']) => tf.Tensor) {
  const { x, layers, r } = chainInputs();
  const params = layers.flatMap((l) => (l.bias ? [l.weight, l.bias] : [l.weight]));
  const f = (xi: tf.Tensor, ...ps: tf.Tensor[]) => {
    let at = 0;
    const ls = layers.map((l) => ({ weight: ps[at++], bias: l.bias ? ps[at++] : null, relu: l.relu }));
    return tf.sum(tf.mul(run(xi, ls), r));
  };
  return [run(x, layers), ...tf.grads(f)([x, ...params])];
}

const chainByOps = () =>
  chainGrads((x, layers) =>
    layers.reduce((h, { weight, bias, relu }) => {
      const z = tf.matMul(h, weight, false, true);
      const zb = bias ? tf.add(z, bias) : z;
      return relu ? tf.relu(zb) : zb;
    }, x),
  );

describe('fusedLinearChain (Linear layers, with or without ReLUs, one native kernel each way)', () => {
  it.runIf(native)("gives tfjs's values and gradients for a chain of three", async () => {
    const expected = await valuesOn('cpu', chainByOps);
    const actual = await valuesOn('wasm', () =>
      chainGrads((x, layers) => fusedLinearChain(x, layers) as tf.Tensor),
    );
    expect(actual.length).toBe(expected.length);
    for (const [i, v] of actual.entries()) expect(relativeError(v, expected[i])).toBeLessThan(1e-5);
  });

  it.runIf(native)(
    'falls back to tfjs ops for the gradient when the native kernels stop between the passes',
    async () => {
      const expected = await valuesOn('cpu', chainByOps);
      const actual = await valuesOn('wasm', () =>
        chainGrads((x, layers) => {
          // On for each forward, off for the backward pass after it.
          tf.env().set(NATIVE_KERNELS_FLAG, true);
          const y = fusedLinearChain(x, layers) as tf.Tensor;
          tf.env().set(NATIVE_KERNELS_FLAG, false);
          return y;
        }),
      );
      for (const [i, v] of actual.entries()) expect(relativeError(v, expected[i])).toBeLessThan(1e-5);
    },
  );

  it.runIf(native)(
    'runs one kernel forward and one back, computes the data gradient only when asked, and leaks nothing',
    async () => {
      await onBackend('wasm', async () => {
        const { x, layers } = chainInputs();
        const vars = layers.map((l) => ({
          ...l,
          weight: tf.variable(l.weight),
          bias: l.bias && tf.variable(l.bias),
        }));
        const before = tf.memory().numTensors;
        const loss = (input: tf.Tensor) => tf.sum(fusedLinearChain(input, vars) as tf.Tensor) as tf.Scalar;
        const kernels = async (step: () => void) => (await tf.profile(step)).kernels.map((k) => k.name);
        const params = await kernels(() => {
          const { value, grads } = tf.variableGrads(() => loss(x));
          tf.dispose([value, ...Object.values(grads)]);
        });
        const data = await kernels(() => tf.dispose(tf.grads(loss)([x])));
        const count = (names: string[], name: string) => names.filter((n) => n === name).length;
        expect([
          count(params, 'DescentLinear3'),
          count(params, 'DescentLinearGrad'),
          count(params, 'BatchMatMul'),
        ]).toEqual([1, 1, 0]);
        expect([count(data, 'DescentLinearGrad'), count(data, 'BatchMatMul')]).toEqual([1, 1]);
        expect(tf.memory().numTensors).toBe(before);
        tf.dispose([x, ...vars.flatMap((l) => (l.bias ? [l.weight, l.bias] : [l.weight]))]);
      });
    },
  );

  it('is undefined for widths that do not chain, and names a layer that is not one', async () => {
    await onBackend('wasm', () => {
      const x = t([4, 3], 1);
      const w = t([2, 3], 2);
      expect(
        fusedLinearChain(x, [
          { weight: w, bias: null, relu: true },
          { weight: w, bias: null, relu: false },
        ]),
      ).toBeUndefined();
      expect(fusedLinearChain(x, [])).toBeUndefined();
      expect(() => fusedLinearChain(x, [{ weight: w, bias: null, relu: 1 as never }])).toThrow(
        /fusedLinearChain: layers\[0\]\.relu: expected a boolean/,
      );
      expect(() => fusedLinearChain(x, 'layers' as never)).toThrow(
        /fusedLinearChain: layers: expected an array/,
      );
    });
  });
});

describe('fusedLinear (one native kernel for Linear and the ReLU after it)', () => {
  for (const relu of [true, false])
    for (const withBias of [true, false])
      it.runIf(native)(`gives tfjs's values and gradients (relu ${relu}, bias ${withBias})`, async () => {
        const expected = await valuesOn('cpu', () => byOps(relu, withBias));
        const actual = await valuesOn('wasm', () => byKernel(relu, withBias));
        expect(actual.length).toBe(expected.length);
        for (const [i, v] of actual.entries()) expect(relativeError(v, expected[i])).toBeLessThan(1e-5);
      });

  it.runIf(native)('computes the input gradient only when the tape needs it, and leaks nothing', async () => {
    const previous = tf.getBackend();
    await tf.setBackend('wasm');
    try {
      const x = t([16, 8], 5);
      const w = tf.variable(t([4, 8], 6));
      const b = tf.variable(t([4], 7));
      const before = tf.memory().numTensors;
      const kernels = async (step: () => void) => {
        const names = (await tf.profile(step)).kernels.map((k) => k.name);
        return ['DescentLinearGrad', 'BatchMatMul'].map((name) => names.filter((n) => n === name).length);
      };
      const loss = (input: tf.Tensor) => tf.sum(fusedLinear(input, w, b, true) as tf.Tensor) as tf.Scalar;
      // The weight's and bias's gradients are one native call; the data's is a product after it.
      const params = await kernels(() => {
        const { value, grads } = tf.variableGrads(() => loss(x), [w, b]);
        tf.dispose([value, ...Object.values(grads)]);
      });
      const data = await kernels(() => tf.dispose(tf.grads(loss)([x])));
      expect(params).toEqual([1, 0]);
      expect(data).toEqual([1, 1]);
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([x, w, b]);
    } finally {
      await tf.setBackend(previous);
    }
  });

  it.runIf(native)(
    'falls back to tfjs ops for the gradient when the native kernels stop between the passes',
    async () => {
      const expected = await valuesOn('cpu', () => byOps(true, true));
      const actual = await valuesOn('wasm', () => {
        const [x, w, b, r] = [t([37, 23], 1), t([11, 23], 2), t([11], 3), t([37, 11], 4)];
        const f = (xi: tf.Tensor, wi: tf.Tensor, bi: tf.Tensor) => {
          const y = fusedLinear(xi, wi, bi, true) as tf.Tensor;
          tf.env().set(NATIVE_KERNELS_FLAG, false);
          return tf.sum(tf.mul(y, r));
        };
        const grads = tf.grads(f)([x, w, b]);
        tf.env().set(NATIVE_KERNELS_FLAG, true);
        return [fusedLinear(x, w, b, true) as tf.Tensor, ...grads];
      });
      for (const [i, v] of actual.entries()) expect(relativeError(v, expected[i])).toBeLessThan(1e-5);
    },
  );

  it('is undefined where it does not run or for inputs it does not take, for the layers to run instead', async () => {
    await onBackend('wasm', () => {
      const [x, w, b] = [t([4, 3], 1), t([2, 3], 2), t([2], 3)];
      expect(fusedLinear(x, t([2, 5], 4), b, false)).toBeUndefined();
      expect(fusedLinear(x, w, t([3], 5), false)).toBeUndefined();
      expect(fusedLinear(tf.reshape(x, [2, 2, 3]), w, b, false)).toBeUndefined();
      expect(fusedLinear(tf.cast(x, 'int32'), w, b, false)).toBeUndefined();
      tf.env().set(NATIVE_KERNELS_FLAG, false);
      expect(fusedLinear(x, w, b, false)).toBeUndefined();
    });
    await onBackend('cpu', () => {
      expect(fusedLinear(t([4, 3], 1), t([2, 3], 2), null, true)).toBeUndefined();
    });
  });

  it('names the argument that is not a tensor (or relu not a boolean)', () => {
    const [x, w] = [t([4, 3], 1), t([2, 3], 2)];
    const bad =
      (...args: unknown[]) =>
      () =>
        (fusedLinear as (...a: unknown[]) => unknown)(...args);
    expect(bad([1, 2], w, null, false)).toThrow(/fusedLinear: x: expected a tensor/);
    expect(bad(x, 'w', null, false)).toThrow(/fusedLinear: weight: expected a tensor/);
    expect(bad(x, w, [1, 2], false)).toThrow(/fusedLinear: bias: expected a tensor or null/);
    expect(bad(x, w, null, 'yes')).toThrow(/fusedLinear: relu: expected a boolean/);
    tf.dispose([x, w]);
  });
});

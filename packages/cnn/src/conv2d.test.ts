import { constant } from '@descent/layers';
import { leakGuard, tf } from '@descent/tensor';
import { describe, expect, it } from 'vitest';
import fixtures from '../fixtures/conv2d.json';
import { forwardBackends, onBackend } from '../test/backends';
import { conv2dReference, maxAbsDiff, type Nchw, randomNchw } from '../test/reference';
import { Conv2d } from './conv2d';

const tensorOf = (a: Nchw) => tf.tensor4d(a.data, a.shape);
const setWeights = (conv: Conv2d, weight: Nchw, bias: number[] | null) =>
  tf.tidy(() => {
    conv.weight.variable.assign(tf.tensor4d(weight.data, weight.shape));
    if (bias && conv.bias) conv.bias.variable.assign(tf.tensor1d(bias));
  });

describe('Conv2d construction', () => {
  it('stores weight [out, in, kh, kw] and bias [out], initialised like PyTorch: U(-1/√fanIn, 1/√fanIn)', () => {
    const conv = new Conv2d(4, 16, 5, { seed: 1 });
    expect(conv.weight.shape).toEqual([16, 4, 5, 5]);
    expect(conv.bias?.shape).toEqual([16]);
    const bound = 1 / Math.sqrt(4 * 5 * 5); // fan_in = in · kh · kw = 100
    const w = Array.from(conv.weight.value.dataSync());
    expect(Math.max(...w.map(Math.abs))).toBeLessThanOrEqual(bound);
    // 1600 uniform draws: the extremes come close to the bound and the variance is bound²/3.
    expect(Math.max(...w)).toBeGreaterThan(0.95 * bound);
    const variance = w.reduce((s, v) => s + v * v, 0) / w.length;
    expect(variance).toBeGreaterThan((0.85 * (bound * bound)) / 3);
    expect(variance).toBeLessThan((1.15 * (bound * bound)) / 3);
    const b = Array.from(conv.bias?.value.dataSync() ?? []);
    expect(Math.max(...b.map(Math.abs))).toBeLessThanOrEqual(bound);
    expect(new Set(b).size).toBe(16);
    conv.dispose();
  });

  it('gives the same weights for the same seed and different ones otherwise', () => {
    const a = new Conv2d(2, 3, 3, { seed: 7 });
    const b = new Conv2d(2, 3, 3, { seed: 7 });
    const c = new Conv2d(2, 3, 3, { seed: 8 });
    expect(Array.from(b.weight.value.dataSync())).toEqual(Array.from(a.weight.value.dataSync()));
    expect(Array.from(c.weight.value.dataSync())).not.toEqual(Array.from(a.weight.value.dataSync()));
    for (const m of [a, b, c]) m.dispose();
  });

  it('normalises sizes, takes custom initialisers and describes itself in toJSON', () => {
    const conv = new Conv2d(1, 2, [2, 3], {
      stride: [1, 2],
      padding: 'valid',
      bias: false,
      init: constant(0.5),
    });
    expect(conv.bias).toBeNull();
    expect(conv.parameters()).toHaveLength(1);
    expect(Array.from(new Set(conv.weight.value.dataSync()))).toEqual([0.5]);
    expect(conv.toJSON()).toEqual({
      type: 'Conv2d',
      inChannels: 1,
      outChannels: 2,
      kernelSize: [2, 3],
      stride: [1, 2],
      padding: [0, 0],
      dilation: [1, 1],
      groups: 1,
      bias: false,
    });
    conv.dispose();
    const same = new Conv2d(3, 4, 3, { padding: 'same', seed: 1 });
    expect(same.toJSON()).toMatchObject({ kernelSize: [3, 3], stride: [1, 1], padding: 'same', bias: true });
    same.dispose();
  });

  it('rejects bad options with messages naming the layer', () => {
    expect(() => new Conv2d(0, 8, 3)).toThrow(
      'Conv2d(0, 8, 3): inChannels: expected a positive integer, found 0',
    );
    expect(() => new Conv2d(1, 8, 0)).toThrow(
      'Conv2d(1, 8, 0): kernelSize: expected a positive integer or a pair',
    );
    expect(() => new Conv2d(1, 8, 3, { stride: 2, padding: 'same' })).toThrow(
      "Conv2d(1, 8, 3): padding: 'same' needs stride 1 (as in PyTorch), found stride [2, 2]",
    );
    expect(() => new Conv2d(1, 8, 3, { padding: -1 })).toThrow(
      'Conv2d(1, 8, 3): padding: expected a non-negative',
    );
    expect(() => new Conv2d(1, 8, 3, { init: () => tf.zeros([1]) })).toThrow(
      'Conv2d(1, 8, 3): weight initialiser: expected a new tensor of shape [8, 1, 3, 3], found a float32 tensor of shape [1]',
    );
  });
});

describe('Conv2d forward', () => {
  const cases: { name: string; k: [number, number]; stride: [number, number]; padding: [number, number] }[] =
    [
      { name: 'valid 3x3', k: [3, 3], stride: [1, 1], padding: [0, 0] },
      { name: 'stride 2, padding 1', k: [3, 3], stride: [2, 2], padding: [1, 1] },
      { name: 'kernel [2, 3], stride [2, 1], padding [1, 0]', k: [2, 3], stride: [2, 1], padding: [1, 0] },
    ];
  for (const backend of forwardBackends) {
    it(`matches a plain-loop convolution with bias on ${backend}`, async () => {
      await onBackend(backend, () => {
        cases.forEach(({ name, k, stride, padding }, i) => {
          const x = randomNchw([2, 3, 6, 7], 10 + i);
          const weight = randomNchw([4, 3, k[0], k[1]], 20 + i);
          const bias = [0.5, -1, 2, 0.25];
          const conv = new Conv2d(3, 4, k, { stride, padding, seed: 1 });
          setWeights(conv, weight, bias);
          const expected = conv2dReference(x, weight, bias, stride, padding);
          const input = tensorOf(x);
          const guard = leakGuard();
          const y = conv.forward(input);
          expect(y.shape, name).toEqual(expected.shape);
          expect(maxAbsDiff(y.dataSync(), expected.data), name).toBeLessThan(1e-4);
          y.dispose();
          guard.check(`Conv2d forward (${name})`);
          input.dispose();
          conv.dispose();
        });
      });
    });
  }

  it("pads 'same' like PyTorch, extra row and column at the end for even kernels", () => {
    const x = randomNchw([1, 2, 5, 6], 3);
    const weight = randomNchw([3, 2, 2, 4], 4);
    const conv = new Conv2d(2, 3, [2, 4], { padding: 'same', bias: false });
    setWeights(conv, weight, null);
    // PyTorch: total padding k - 1 per dimension, the smaller half first: (0, 1) rows, (1, 2) columns.
    const padded = conv2dReference(
      { data: padInput(x, [0, 1], [1, 2]), shape: [1, 2, 6, 9] },
      weight,
      null,
      [1, 1],
      [0, 0],
    );
    const input = tensorOf(x);
    const y = conv.forward(input);
    expect(y.shape).toEqual([1, 3, 5, 6]);
    expect(maxAbsDiff(y.dataSync(), padded.data)).toBeLessThan(1e-4);
    tf.dispose([input, y]);
    conv.dispose();
  });

  it('matches PyTorch (fixtures/conv2d.json)', () => {
    for (const c of fixtures.cases) {
      const conv = new Conv2d(c.inChannels, c.outChannels, c.kernelSize as number | [number, number], {
        stride: c.stride as number | [number, number],
        padding: c.padding as number | [number, number] | 'same',
        bias: c.bias,
      });
      setWeights(conv, c.weight as Nchw, c.biasValue);
      const x = tensorOf(c.x as Nchw);
      const y = conv.forward(x);
      expect(y.shape, c.name).toEqual(c.y.shape);
      expect(maxAbsDiff(y.dataSync(), c.y.data), c.name).toBeLessThan(1e-5);
      tf.dispose([x, y]);
      conv.dispose();
    }
  });

  it('names the layer and the expected shape when the input is wrong', () => {
    const conv = new Conv2d(1, 8, 3, { seed: 1 });
    const wrongChannels = tf.zeros([2, 3, 28, 28]);
    const tooSmall = tf.zeros([1, 1, 2, 5]);
    const flat = tf.zeros([4, 784]);
    expect(() => conv.forward(wrongChannels)).toThrow(
      'Conv2d(1, 8, 3): input: expected shape [N, 1, H, W], found [2, 3, 28, 28]',
    );
    expect(() => conv.forward(flat)).toThrow(
      'Conv2d(1, 8, 3): input: expected shape [N, 1, H, W], found [4, 784]',
    );
    expect(() => conv.forward(tooSmall)).toThrow(
      'Conv2d(1, 8, 3): input: expected height and width of at least 3 x 3 (the kernel size minus padding), found 2 x 5',
    );
    const ints = tf.zeros([1, 1, 5, 5], 'int32');
    expect(() => conv.forward(ints)).toThrow('Conv2d(1, 8, 3): input: expected a float32 tensor');
    tf.dispose([wrongChannels, tooSmall, flat, ints]);
    conv.dispose();
  });
});

/** Zero-pads each [H, W] plane: rows (top, bottom), columns (left, right). */
function padInput(x: Nchw, rows: [number, number], cols: [number, number]): number[] {
  const [n, c, h, w] = x.shape;
  const ph = h + rows[0] + rows[1];
  const pw = w + cols[0] + cols[1];
  const out = new Array<number>(n * c * ph * pw).fill(0);
  for (let p = 0; p < n * c; p++)
    for (let i = 0; i < h; i++)
      for (let j = 0; j < w; j++)
        out[(p * ph + i + rows[0]) * pw + j + cols[0]] = x.data[(p * h + i) * w + j];
  return out;
}

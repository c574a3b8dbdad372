import { tf } from '@descent/tensor';
import { describe, expect, it } from 'vitest';
import { expectClose, expectGradientsMatch, expectTidy, expectTidyGrad, read, scalarOf } from '../test/util';
import { crossEntropy } from './cross-entropy';

// log softmax of one row in float64, with the max subtracted.
const logSoftmax = (row: number[]): number[] => {
  const m = Math.max(...row);
  const lse = m + Math.log(row.reduce((s, v) => s + Math.exp(v - m), 0));
  return row.map((v) => v - lse);
};

const logits = [
  [2.0, -1.0, 0.5, 0.1],
  [-0.3, 0.8, 1.7, -2.2],
  [0.0, 0.0, 3.0, 1.0],
];
const classes = [0, 2, 3];

describe('crossEntropy', () => {
  it('is ln C for uniform logits, whatever the class', () => {
    for (const c of [2, 3, 10]) {
      const x = tf.fill([4, c], 1.7);
      const y = tf.tensor([0, c - 1, 1, 0], [4], 'int32');
      expectClose([scalarOf(crossEntropy(x, y))], [Math.log(c)]);
      expectClose(
        read(crossEntropy(x, y, { reduction: 'none' })),
        [1, 2, 3, 4].map(() => Math.log(c)),
      );
      tf.dispose([x, y]);
    }
  });

  it('is -log softmax(x)[class] per sample, computed by hand, for each reduction', () => {
    const expected = logits.map((row, i) => -logSoftmax(row)[classes[i]]);
    const x = tf.tensor(logits);
    const y = tf.tensor(classes, [3], 'int32');
    const none = crossEntropy(x, y, { reduction: 'none' });
    expect(none.shape).toEqual([3]);
    expectClose(read(none), expected);
    expectClose([scalarOf(crossEntropy(x, y, { reduction: 'sum' }))], [expected.reduce((a, b) => a + b)]);
    expectClose([scalarOf(crossEntropy(x, y))], [expected.reduce((a, b) => a + b) / 3]);
    tf.dispose([x, y]);
  });

  it('gives the same for int32 indices, float indices and one-hot rows', () => {
    const x = tf.tensor(logits);
    const ints = tf.tensor(classes, [3], 'int32');
    const floats = tf.tensor(classes);
    const oneHot = tf.tensor(classes.map((k) => [0, 1, 2, 3].map((j) => (j === k ? 1 : 0))));
    const reference = read(crossEntropy(x, ints, { reduction: 'none' }));
    expectClose(read(crossEntropy(x, floats, { reduction: 'none' })), reference, 1e-7);
    expectClose(read(crossEntropy(x, oneHot, { reduction: 'none' })), reference, 1e-6);
    tf.dispose([x, ints, floats, oneHot]);
  });

  it('takes class probabilities: -sum_c q_c log softmax(x)_c', () => {
    const q = [
      [0.1, 0.2, 0.3, 0.4],
      [0.5, 0.5, 0, 0],
      [0.25, 0.25, 0.25, 0.25],
    ];
    const expected = logits.map((row, i) => -logSoftmax(row).reduce((s, l, j) => s + q[i][j] * l, 0));
    const x = tf.tensor(logits);
    const y = tf.tensor(q);
    expectClose(read(crossEntropy(x, y, { reduction: 'none' })), expected);
    tf.dispose([x, y]);
  });

  it('applies label smoothing as PyTorch: (1 - e) (-log p_y) + e / C sum_c (-log p_c)', () => {
    const e = 0.1;
    const c = 4;
    const expected = logits.map((row, i) => {
      const l = logSoftmax(row);
      return (1 - e) * -l[classes[i]] + (e / c) * -l.reduce((a, b) => a + b, 0);
    });
    const x = tf.tensor(logits);
    const y = tf.tensor(classes, [3], 'int32');
    expectClose(read(crossEntropy(x, y, { labelSmoothing: e, reduction: 'none' })), expected);
    expectClose(
      [scalarOf(crossEntropy(x, y, { labelSmoothing: e }))],
      [expected.reduce((a, b) => a + b) / 3],
    );
    // For probability targets PyTorch smooths the target rows the same way: q (1 - e) + e / C.
    const oneHot = tf.oneHot(y, c);
    const oneHotFloat = tf.cast(oneHot, 'float32');
    expectClose(read(crossEntropy(x, oneHotFloat, { labelSmoothing: e, reduction: 'none' })), expected);
    tf.dispose([x, y, oneHot, oneHotFloat]);
  });

  it('stays finite and exact for huge logits', () => {
    const x = tf.tensor([
      [1000, 0, -1000],
      [1000, 0, -1000],
    ]);
    const y = tf.tensor([0, 2], [2], 'int32');
    expectClose(read(crossEntropy(x, y, { reduction: 'none' })), [0, 2000]);
    const g = read(tf.grad((v: tf.Tensor) => crossEntropy(v, y, { reduction: 'sum' }))(x));
    // softmax(x) - onehot(y): softmax is [1, 0, 0] for both rows.
    expectClose(g, [0, 0, 0, 1, 0, -1]);
    tf.dispose([x, y]);
  });

  it('has the gradient finite differences give, for index and probability targets', () => {
    const x = tf.tensor(logits);
    const y = tf.tensor(classes, [3], 'int32');
    expectGradientsMatch((reduction, a) => crossEntropy(a, y, { reduction }), [x]);
    expectGradientsMatch((reduction, a) => crossEntropy(a, y, { reduction, labelSmoothing: 0.2 }), [x]);
    const q = tf.tensor([
      [0.1, 0.2, 0.3, 0.4],
      [0.5, 0.3, 0.1, 0.1],
      [0.25, 0.25, 0.25, 0.25],
    ]);
    expectGradientsMatch((reduction, a, b) => crossEntropy(a, b, { reduction }), [x, q]);
    // Closed form: d mean / dx = (softmax(x) - onehot(y)) / N.
    const g = read(tf.grad((v: tf.Tensor) => crossEntropy(v, y))(x));
    const expected = logits.flatMap((row, i) =>
      logSoftmax(row).map((l, j) => (Math.exp(l) - (j === classes[i] ? 1 : 0)) / 3),
    );
    expectClose(g, expected);
    tf.dispose([x, y, q]);
  });

  it('leaves no tensors behind, in a call or a gradient', () => {
    const x = tf.tensor(logits);
    const y = tf.tensor(classes, [3], 'int32');
    const q = tf.fill([3, 4], 0.25);
    for (const reduction of ['mean', 'sum', 'none'] as const)
      expectTidy(() => crossEntropy(x, y, { reduction }));
    expectTidy(() => crossEntropy(x, q, { labelSmoothing: 0.1 }));
    expectTidyGrad((v) => crossEntropy(v, y, { labelSmoothing: 0.1 }), x);
    expectTidyGrad((v) => crossEntropy(v, q), x);
    tf.dispose([x, y, q]);
  });

  it('names an out-of-range or non-integer class index and where it is', () => {
    const x = tf.zeros([3, 4]);
    const cases: [number[], string][] = [
      [[0, 4, 1], 'found 4 at index [1]'],
      [[-1, 0, 1], 'found -1 at index [0]'],
      [[0, 1, 2.5], 'found 2.5 at index [2]'],
      [[0, Number.NaN, 2], 'found NaN at index [1]'],
    ];
    for (const [values, where] of cases) {
      const y = tf.tensor(values);
      expect(() => crossEntropy(x, y)).toThrow(
        `crossEntropy: target: expected class indices, integers in [0, 4), ${where}`,
      );
      y.dispose();
    }
    const ints = tf.tensor([0, 7, 1], [3], 'int32');
    expect(() => crossEntropy(x, ints)).toThrow('integers in [0, 4), found 7 at index [1]');
    tf.dispose([x, ints]);
  });

  it('refuses bad shapes, probabilities outside [0, 1], bad options', () => {
    const x = tf.zeros([3, 4]);
    const wrongN = tf.zeros([2], 'int32');
    const wrongC = tf.zeros([3, 3]);
    const flat = tf.zeros([4]);
    const negative = tf.tensor([
      [0, 1, 0, 0],
      [0, 0, 1.2, -0.2],
      [1, 0, 0, 0],
    ]);
    expect(() => crossEntropy(x, wrongN)).toThrow(
      'crossEntropy: target: expected shape [3] (class indices) or [3, 4] (class probabilities), found shape [2]',
    );
    expect(() => crossEntropy(x, wrongC)).toThrow(/found shape \[3, 3\]/);
    expect(() => crossEntropy(flat, wrongN)).toThrow(
      'crossEntropy: input: expected logits of shape [N, C] with C >= 1, found shape [4]',
    );
    expect(() => crossEntropy(x, negative)).toThrow(
      'crossEntropy: target: expected values in [0, 1], found 1.2 at index [1, 2]',
    );
    expect(() => crossEntropy(x, wrongC, { labelSmoothing: 1.5 })).toThrow(
      'crossEntropy: labelSmoothing: expected a finite number in [0, 1], found 1.5',
    );
    expect(() => crossEntropy(x, wrongN, { reduction: 'avg' as 'mean' })).toThrow(/crossEntropy: reduction/);
    tf.dispose([x, wrongN, wrongC, flat, negative]);
  });

  it('weight and ignoreIndex: PyTorch semantics, no leaks, bad values refused', () => {
    const x = tf.tensor2d([2, -1, 0.5, 0.1, 0.3, -2, 1, 1, 0], [3, 3]);
    const labels = tf.tensor1d([0, 2, -100], 'int32');
    const weight = tf.tensor1d([0.5, 2, 4]);
    const rows = [
      [2, -1, 0.5],
      [0.1, 0.3, -2],
    ];
    // Sample 2 has PyTorch's default ignoreIndex -100: it adds nothing, to the sum or to the weights.
    const l0 = -0.5 * logSoftmax(rows[0])[0];
    const l1 = -4 * logSoftmax(rows[1])[2];
    expectTidy(() => crossEntropy(x, labels, { weight }));
    expectClose(read(crossEntropy(x, labels, { weight, reduction: 'none' })), [l0, l1, 0]);
    expectClose([scalarOf(crossEntropy(x, labels, { weight }))], [(l0 + l1) / 4.5]);
    const twos = tf.tensor1d([0, 2, 2], 'int32');
    expectClose([scalarOf(crossEntropy(x, twos, { ignoreIndex: 2, weight }))], [l0 / 0.5]);
    expectTidyGrad((v) => crossEntropy(v, labels, { weight }), x);
    const probs = tf.tensor2d([1, 0, 0, 0, 0, 1, 0, 1, 0], [3, 3]);
    expect(() => crossEntropy(x, probs, { ignoreIndex: 0 })).toThrow(
      'crossEntropy: ignoreIndex: expected class index targets, found class probabilities',
    );
    expect(() => crossEntropy(x, labels, { ignoreIndex: 0.5 })).toThrow(
      'crossEntropy: ignoreIndex: expected an integer, found 0.5',
    );
    const wrong = tf.ones([2]);
    expect(() => crossEntropy(x, labels, { weight: wrong })).toThrow(
      'crossEntropy: weight: expected shape [3] (one weight per class), found shape [2]',
    );
    expect(() => crossEntropy(x, labels, { ignore_index: 1 } as never)).toThrow(
      '(did you mean "ignoreIndex"?)',
    );
    tf.dispose([x, labels, twos, weight, probs, wrong]);
  });
});

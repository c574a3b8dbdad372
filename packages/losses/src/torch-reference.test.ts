import { type Tensor, tf } from '@descent/tensor';
import { describe, it } from 'vitest';
import reference from '../fixtures/torch-reference.json';
import { expectClose, read } from '../test/util';
import { losses } from './registry';

// fixtures/make-fixtures.py wrote these with PyTorch (float64 maths on float32 inputs).
type Nested = number | Nested[];
interface Result {
  value: Nested;
  gradInput?: Nested;
  gradTarget?: Nested;
}
interface Case {
  name: string;
  loss: keyof typeof losses;
  options: {
    delta?: number;
    labelSmoothing?: number;
    posWeight?: number[];
    weight?: number[];
    ignoreIndex?: number;
  };
  input: Nested;
  target: Nested;
  targetDtype: 'float32' | 'int32';
  results: Record<'none' | 'mean' | 'sum', Result>;
}

const flat = (v: Nested): number[] => (Array.isArray(v) ? v.flatMap(flat) : [v]);

describe(`PyTorch ${reference.torch} reference values`, () => {
  for (const c of reference.cases as Case[]) {
    it(`${c.name}: values and gradients agree to 1e-5`, () => {
      const x = tf.tensor(c.input as number[]);
      const y = tf.tensor(c.target as number[], undefined, c.targetDtype);
      const posWeight = c.options.posWeight ? tf.tensor(c.options.posWeight) : undefined;
      const weight = c.options.weight ? tf.tensor(c.options.weight) : undefined;
      const options = { ...c.options, ...(posWeight ? { posWeight } : {}), ...(weight ? { weight } : {}) };
      const loss = losses[c.loss] as (a: Tensor, b: Tensor, o: object) => Tensor;
      for (const reduction of ['none', 'mean', 'sum'] as const) {
        const expected = c.results[reduction];
        expectClose(read(loss(x, y, { ...options, reduction })), flat(expected.value));
        if (expected.gradInput) {
          const g = tf.grad((v: Tensor) => loss(v, y, { ...options, reduction }))(x);
          expectClose(read(g), flat(expected.gradInput));
        }
        if (expected.gradTarget) {
          const g = tf.grad((v: Tensor) => loss(x, v, { ...options, reduction }))(y);
          expectClose(read(g), flat(expected.gradTarget));
        }
      }
      tf.dispose([x, y, ...(posWeight ? [posWeight] : []), ...(weight ? [weight] : [])]);
    });
  }
});

import { Linear, Module, Sequential } from '@descent/layers';
import { SGD } from '@descent/optim';
import { type Tensor, tf } from '@descent/tensor';
import { describe, expect, it } from 'vitest';
import { Learner } from './learner';

/** Records the shape it is given, then flattens it. */
class ShapeSpy extends Module {
  seen: number[][] = [];
  forward(x: Tensor): Tensor {
    this.seen.push(x.shape);
    return tf.reshape(x, [x.shape[0], -1]);
  }
}

describe('Learner inputShape', () => {
  it('gives the model [batch, ...inputShape] built from flattened rows, in fit and predict', async () => {
    const spy = new ShapeSpy();
    const model = new Sequential([spy, new Linear(4, 1, { seed: 1 })]);
    const optimizer = new SGD(model.parameters(), { lr: 0.1 });
    const learner = new Learner(model, { loss: 'mse', optimizer, inputShape: [1, 2, 2] });
    const X = { data: Float32Array.from({ length: 24 }, (_, i) => i / 24), rows: 6, cols: 4 };
    await learner.fit({ X, y: [0, 1, 0, 1, 0, 1] }, { epochs: 1, batchSize: 4 });
    const out = learner.predict(X);
    expect(spy.seen).toEqual([
      [4, 1, 2, 2],
      [2, 1, 2, 2],
      [6, 1, 2, 2],
    ]);
    expect(out.rows).toBe(6);
    expect(() => learner.predict({ data: new Float32Array(5), rows: 1, cols: 5 })).toThrow(
      /X: expected 4 columns per row \(inputShape \[1, 2, 2\]\), found 5/,
    );
    optimizer.dispose();
    model.dispose();
  });
});

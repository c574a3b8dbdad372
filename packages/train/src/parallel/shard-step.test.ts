import { Linear, Sequential, Softplus } from '@descent/layers';
import { getLoss } from '@descent/losses';
import { leakGuard, tf } from '@descent/tensor';
import { describe, expect, it } from 'vitest';
import { combineGradients } from './combine-gradients';
import { type ShardModel, shardLoss, shardStep } from './shard-step';

describe('shardStep', () => {
  it("gives shard gradients whose row-weighted mean is MSE's closed-form batch gradient", () => {
    const guard = leakGuard();
    const layer = new Linear(2, 1, { seed: 3 });
    const X = Float32Array.from([1, 2, -1, 0.5, 0, 3, 2, -2, 0.5, 0.5]);
    const y = Float32Array.from([1, 0, 2, -1, 0.5]);
    const data = { X: { data: X, rows: 5, cols: 2 }, y: { data: y, rows: 5, cols: 1 } };
    const [w0, w1] = layer.weight.variable.dataSync();
    const b = layer.bias?.variable.dataSync()[0] ?? 0;
    // d/dw mean((xw + b − y)²) = 2/n Σ r x, d/db = 2/n Σ r.
    const r = [0, 1, 2, 3, 4].map((i) => X[2 * i] * w0 + X[2 * i + 1] * w1 + b - y[i]);
    const dw = [0, 1].map((j) => (2 / 5) * r.reduce((s, ri, i) => s + ri * X[2 * i + j], 0));
    const db = (2 / 5) * r.reduce((s, ri) => s + ri, 0);
    const shard = {
      model: layer,
      compiled: false,
      lossName: 'mse',
      lossFn: getLoss('mse'),
      outputKind: 'value' as const,
      variables: layer.trainableParameters().map((p) => p.variable),
    };
    const parts = [Int32Array.from([4, 0, 2]), Int32Array.from([1, 3])].map((rows) => {
      const { value, grads, output } = shardStep(shard, data, rows, true);
      expect(output?.shape).toEqual([rows.length, 1]);
      const got = shard.variables.map((v) => grads[v.name].dataSync() as Float32Array);
      tf.dispose([value, output, ...Object.values(grads)]);
      return { got, rows: rows.length };
    });
    const weight = combineGradients(
      parts.map((p) => ({ values: p.got[0], rows: p.rows })),
      2,
    ) as Float32Array;
    const bias = combineGradients(
      parts.map((p) => ({ values: p.got[1], rows: p.rows })),
      1,
    ) as Float32Array;
    expect(weight[0]).toBeCloseTo(dw[0], 5);
    expect(weight[1]).toBeCloseTo(dw[1], 5);
    expect(bias[0]).toBeCloseTo(db, 5);
    layer.dispose();
    guard.check('shardStep');
  });

  it('shapes the input by inputShape and names a mismatch', () => {
    const layer = new Linear(4, 1, { seed: 1 });
    const shard = {
      model: layer,
      compiled: false,
      lossName: 'mse',
      lossFn: getLoss('mse'),
      outputKind: 'value' as const,
      inputShape: [3],
      variables: [layer.weight.variable],
    };
    const data = {
      X: { data: new Float32Array(8), rows: 2, cols: 4 },
      y: { data: new Float32Array(2), rows: 2, cols: 1 },
    };
    expect(() => shardStep(shard, data, Int32Array.from([0]), false)).toThrow(
      /X: expected 3 columns per row \(inputShape \[3\]\), found 4/,
    );
    layer.dispose();
  });

  it('runs the model and a named loss compiled as the Learner does: same gradients, fewer kernels', async () => {
    const model = new Sequential([
      new Linear(2, 3, { seed: 5 }),
      new Softplus(),
      new Linear(3, 1, { seed: 6 }),
    ]);
    const data = {
      X: { data: Float32Array.from([1, 2, -1, 0.5, 0, 3, 2, -2]), rows: 4, cols: 2 },
      y: { data: Float32Array.from([1, 0, 2, -1]), rows: 4, cols: 1 },
    };
    const rows = Int32Array.from([3, 1, 0]);
    const run = async (compiled: boolean) => {
      const shard: ShardModel = {
        model,
        compiled,
        lossName: 'mse',
        lossFn: shardLoss('mse', compiled),
        outputKind: 'value',
        variables: model.trainableParameters().map((p) => p.variable),
      };
      let grads: number[][] = [];
      const info = await tf.profile(() => {
        const result = shardStep(shard, data, rows, false);
        grads = shard.variables.map((v) => Array.from(result.grads[v.name].dataSync()));
        tf.dispose([result.value, ...Object.values(result.grads)]);
      });
      return { grads, kernels: info.kernels.length };
    };
    const guard = leakGuard();
    const plain = await run(false);
    const fast = await run(true);
    await run(true);
    guard.check('compiled shardStep');
    fast.grads.flat().forEach((g, i) => {
      expect(g).toBeCloseTo(plain.grads.flat()[i], 5);
    });
    expect(fast.kernels).toBeLessThan(plain.kernels / 2);
    expect(shardLoss('mse', true)).not.toBe(getLoss('mse'));
    expect(shardLoss('mse', false)).toBe(getLoss('mse'));
    model.dispose();
  });
});

import { ExactExplainer } from '@descent/shap';
import { describe, expect, it } from 'vitest';
import { game, orderings, shapleyByOrderings } from './shapley-recipe';

describe('page 9: Shapley values by hand, three players', () => {
  it('lists all 3! = 6 orders, each player once in each', () => {
    const all = orderings(3);
    expect(all).toHaveLength(6);
    expect(new Set(all.map((o) => o.join(''))).size).toBe(6);
    for (const o of all) expect([...o].sort()).toEqual([0, 1, 2]);
  });

  it("the average δ over the orders is what @descent/shap's ExactExplainer computes", async () => {
    for (const [x, baseline] of [
      [
        [1, 2, 3],
        [0, 0, 0],
      ],
      [
        [-0.5, 4, -1.5],
        [1, 0.5, 2],
      ],
    ]) {
      const byHand = shapleyByOrderings(game, x, baseline);
      // Efficiency: the values share out exactly f(x) − f(baseline).
      const total = byHand.average.reduce((a, b) => a + b, 0);
      expect(total).toBeCloseTo(byHand.full - byHand.empty, 12);
      const model = (X: { data: ArrayLike<number>; rows: number; cols: number }) =>
        Array.from({ length: X.rows }, (_, r) =>
          game(Array.from({ length: 3 }, (_, c) => X.data[r * X.cols + c])),
        );
      const explanation = await new ExactExplainer(model, [baseline]).explain([x]);
      const values = explanation.values[0] as number[];
      byHand.average.forEach((v, p) => {
        expect(v).toBeCloseTo(values[p], 10);
      });
    }
  });

  it('the interaction x₂·x₃ is split by the orders: x₂ joining first gets none of it', () => {
    const { rows } = shapleyByOrderings(game, [1, 2, 3], [0, 0, 0]);
    const x2First = rows.find((r) => r.order[0] === 1)!;
    expect(x2First.deltas[1]).toBe(0);
    const x2Last = rows.find((r) => r.order[2] === 1)!;
    expect(x2Last.deltas[1]).toBe(6);
    // x₁ only adds 2·x₁, whatever the order.
    for (const r of rows) expect(r.deltas[0]).toBe(2);
  });
});

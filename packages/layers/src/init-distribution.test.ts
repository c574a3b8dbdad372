import { readFileSync } from 'node:fs';
import { tf } from '@descent/tensor';
import { describe, expect, it } from 'vitest';
import { Linear } from './linear';
import { mlp } from './sequential';

interface Summary {
  count: number;
  mean: number;
  std: number;
  min: number;
  max: number;
  deciles: number[];
}

// Written by fixtures/make-init-fixture.py from PyTorch 1.13's nn.Linear over 2,000 seeds.
const fixture = JSON.parse(
  readFileSync(new URL('../fixtures/torch-linear-init.json', import.meta.url), 'utf8'),
) as {
  seeds: number;
  layers: { in: number; out: number; weight: Summary; bias: Summary }[];
  dosage: { oppositeHiddenSlopes: number };
};

function summarise(values: number[]): Summary {
  const v = Float64Array.from(values).sort();
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const std = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length);
  // numpy's default (linear) quantiles, as torch.quantile computes them.
  const quantile = (q: number) => {
    const at = q * (v.length - 1);
    const lo = Math.floor(at);
    return v[lo] + (v[Math.min(lo + 1, v.length - 1)] - v[lo]) * (at - lo);
  };
  return {
    count: v.length,
    mean,
    std,
    min: v[0],
    max: v[v.length - 1],
    deciles: [1, 2, 3, 4, 5, 6, 7, 8, 9].map((d) => quantile(d / 10)),
  };
}

describe(`Linear's default initialisation against PyTorch's over ${fixture.seeds} seeds`, () => {
  for (const shape of fixture.layers) {
    it(`Linear(${shape.in}, ${shape.out}): weights and biases have PyTorch's distribution, U(-1/√in, 1/√in)`, () => {
      const weights: number[] = [];
      const biases: number[] = [];
      const before = tf.memory().numTensors;
      for (let s = 0; s < fixture.seeds; s++) {
        const layer = new Linear(shape.in, shape.out, { seed: s });
        weights.push(...layer.weight.variable.dataSync());
        biases.push(...(layer.bias?.variable.dataSync() ?? []));
        layer.dispose();
      }
      expect(tf.memory().numTensors).toBe(before);
      const bound = 1 / Math.sqrt(shape.in);
      for (const [name, ours, torch] of [
        ['weight', summarise(weights), shape.weight],
        ['bias', summarise(biases), shape.bias],
      ] as const) {
        expect(ours.count, name).toBe(torch.count);
        // Sampling error of a mean over n uniform draws, both samples, four standard errors.
        const meanTol = 4 * (bound / Math.sqrt(3)) * Math.sqrt(2 / ours.count);
        expect(Math.abs(ours.mean - torch.mean), `${name} mean`).toBeLessThan(meanTol);
        expect(Math.abs(ours.mean), `${name} mean vs 0`).toBeLessThan(meanTol);
        expect(Math.abs(ours.std / torch.std - 1), `${name} std vs PyTorch`).toBeLessThan(0.03);
        expect(Math.abs(ours.std / (bound / Math.sqrt(3)) - 1), `${name} std vs b/√3`).toBeLessThan(0.03);
        expect(ours.min, `${name} min`).toBeGreaterThanOrEqual(-bound);
        expect(ours.max, `${name} max`).toBeLessThanOrEqual(bound);
        ours.deciles.forEach((q, i) => {
          expect(Math.abs(q - torch.deciles[i]), `${name} decile ${i + 1}`).toBeLessThan(0.06 * bound);
          expect(
            Math.abs(q - bound * ((2 * (i + 1)) / 10 - 1)),
            `${name} decile ${i + 1} vs uniform`,
          ).toBeLessThan(0.06 * bound);
        });
      }
    });
  }

  it("starts the dosage net's two hidden slopes with opposite signs as often as PyTorch", () => {
    let opposite = 0;
    for (let s = 0; s < fixture.seeds; s++) {
      const net = mlp({ inputs: 1, hidden: [2], outputs: 1, activation: 'softplus', seed: s });
      const [a, b] = net.parameters()[0].variable.dataSync();
      if (a * b < 0) opposite++;
      net.dispose();
    }
    const ours = opposite / fixture.seeds;
    // Four standard errors of the difference of two proportions near 1/2.
    expect(Math.abs(ours - fixture.dosage.oppositeHiddenSlopes)).toBeLessThan(
      4 * Math.sqrt(0.5 / fixture.seeds),
    );
  });
});

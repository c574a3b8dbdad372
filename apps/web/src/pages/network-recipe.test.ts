import { mse } from '@descent/losses';
import { initBackend, tf } from '@descent/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { linspace } from '../lib/read';
import { dosageColumns, gradientStep, makeDosageNet, paths, readings } from './network-recipe';

beforeAll(async () => {
  await initBackend();
});

describe('page 3: the dosage net', () => {
  it('upper path + lower path + bias is the network, point by point', () => {
    const before = tf.memory().numTensors;
    const { data, x, y } = dosageColumns();
    const net = makeDosageNet(5, 0.1);
    for (let i = 0; i < 50; i++) gradientStep(net, x, y);
    const grid = tf.tensor2d(linspace(0, 1, 11), [11, 1]);
    const tensors = readings(net.model, grid, x, y, data.y);
    const [hidden, sum, , , , , , w2, b2] = tensors.map((t) => t.dataSync());
    const { upper, lower, bias } = paths(hidden, w2, b2[0], 11);
    for (let i = 0; i < 11; i++) expect(upper[i] + lower[i] + bias).toBeCloseTo(sum[i], 5);
    tf.dispose([...tensors, grid, x, y]);
    net.optimizer.dispose();
    net.model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('plain gradient descent lowers the MSE from the seeded start; the readings agree with mse', () => {
    const { data, x, y } = dosageColumns();
    const net = makeDosageNet(5, 0.1);
    const loss = () => tf.tidy(() => mse(net.model.forward(x), y).dataSync()[0]);
    const first = loss();
    for (let i = 0; i < 500; i++) gradientStep(net, x, y);
    expect(loss()).toBeLessThan(first);
    const tensors = readings(net.model, x, x, y, data.y);
    expect(tensors[3].dataSync()[0]).toBeCloseTo(loss(), 6);
    expect(Number.isFinite(tensors[4].dataSync()[0])).toBe(true);
    tf.dispose([...tensors, x, y]);
    net.optimizer.dispose();
    net.model.dispose();
  });
});

import { initBackend, tf } from '@descent/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { DOMAIN, featureAt, featureRows, gridPoints, makePlaneData, setNames } from './playground-data';
import { defaultNet, memorizePreset, PlaygroundNet } from './playground-recipe';

beforeAll(async () => {
  await initBackend();
});

describe('playground data', () => {
  it('builds the feature crosses column by column, in the order chosen', () => {
    const points = Float32Array.of(2, -0.5, 0.3, 1.5);
    const rows = featureRows(points, ['x1x2', 'x1', 'sinx2', 'x2sq', 'x1sq', 'sinx1', 'x2']);
    const expected = [
      [2 * -0.5, 2, Math.sin(-0.5), 0.25, 4, Math.sin(2), -0.5],
      [0.3 * 1.5, 0.3, Math.sin(1.5), 2.25, 0.09, Math.sin(0.3), 1.5],
    ].flat();
    expect(rows.length).toBe(expected.length);
    for (const [i, v] of expected.entries()) expect(rows[i]).toBeCloseTo(v, 6);
    expect(featureAt('x1sq', -3, 0)).toBe(9);
    expect(() => featureRows(points, [])).toThrow('features: expected at least one feature');
  });

  it('makes each set inside the square, split by the train ratio, the same for the same seed', () => {
    for (const set of setNames) {
      const settings = { set, noise: 0.2, trainRatio: 0.3, seed: 4 };
      const data = makePlaneData(settings);
      const n = data.train.y.length + data.test.y.length;
      expect(n).toBe(300);
      expect(Math.abs(data.train.y.length - 90)).toBeLessThanOrEqual(2);
      // The heat map shows the square: nearly every point lies in it (noise may push a few out).
      const inside = data.train.points.filter((v) => Math.abs(v) <= DOMAIN).length;
      expect(inside / data.train.points.length, set).toBeGreaterThan(0.97);
      expect(data.task).toBe(set === 'plane' || set === 'bumps' ? 'regression' : 'binary');
      if (data.task === 'binary') expect(new Set(data.train.y)).toEqual(new Set([0, 1]));
      expect(makePlaneData(settings)).toEqual(data);
    }
    expect(() => makePlaneData({ set: 'xor', noise: 0, trainRatio: 1, seed: 1 })).toThrow('trainRatio');
  });

  it('lays the grid out row by row from the top left corner', () => {
    const g = gridPoints(4);
    expect(g.length).toBe(32);
    expect([g[0], g[1]]).toEqual([-2.25, 2.25]);
    expect([g[30], g[31]]).toEqual([2.25, -2.25]);
  });
});

describe('playground network', () => {
  it('adds exactly the L2 penalty rate · Σw² over the weight matrices (not the biases) to the loss', async () => {
    const before = tf.memory().numTensors;
    const data = makePlaneData({ set: 'circle', noise: 0.1, trainRatio: 0.5, seed: 2 });
    const plain = new PlaygroundNet(data, { ...defaultNet, seed: 2 });
    const l2 = new PlaygroundNet(data, { ...defaultNet, seed: 2, regularization: 'l2', regRate: 0.01 });
    const l1 = new PlaygroundNet(data, { ...defaultNet, seed: 2, regularization: 'l1', regRate: 0.01 });
    const weights = (await plain.weights()).flat(2);
    expect(weights.length).toBe(2 * 4 + 4 * 2 + 2 * 1);
    const x = plain.inputs(featureRows(data.train.points, defaultNet.features));
    const y = tf.tensor2d(data.train.y, [data.train.y.length, 1]);
    const value = (net: PlaygroundNet) => tf.tidy(() => net.objective(x, y).dataSync()[0]);
    const sumSq = weights.reduce((s, w) => s + w * w, 0);
    const sumAbs = weights.reduce((s, w) => s + Math.abs(w), 0);
    expect(value(l2) - value(plain)).toBeCloseTo(0.01 * sumSq, 5);
    expect(value(l1) - value(plain)).toBeCloseTo(0.01 * sumAbs, 5);
    tf.dispose([x, y]);
    for (const net of [plain, l1, l2]) net.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('reads every hidden neuron and the prediction over the grid; L2 training shrinks the weights', async () => {
    const before = tf.memory().numTensors;
    const data = makePlaneData({ set: 'xor', noise: 0, trainRatio: 0.5, seed: 3 });
    const settings = { ...defaultNet, hidden: [3, 2], seed: 3, lr: 0.3 };
    const net = new PlaygroundNet(data, settings);
    const decayed = new PlaygroundNet(data, { ...settings, regularization: 'l2', regRate: 0.05 });
    const grid = net.inputs(featureRows(gridPoints(5), settings.features));
    const out = await net.gridOutputs(grid);
    expect(out.hidden.map((layer) => layer.length)).toEqual([3, 2]);
    expect(out.hidden[0][0].length).toBe(25);
    for (const p of out.output) expect(p > 0 && p < 1).toBe(true);
    // A tanh neuron's output is in (-1, 1) and varies over the square.
    const first = out.hidden[0][0];
    expect(Math.max(...first)).toBeLessThan(1);
    expect(Math.max(...first) - Math.min(...first)).toBeGreaterThan(0.01);
    for (let i = 0; i < 100; i++) {
      net.step();
      decayed.step();
    }
    expect(net.epochs).toBeCloseTo((100 * 10) / data.train.y.length, 10);
    const norm = async (n: PlaygroundNet) => (await n.weights()).flat(2).reduce((s, w) => s + w * w, 0);
    expect(await norm(decayed)).toBeLessThan(await norm(net));
    grid.dispose();
    net.dispose();
    decayed.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('learns XOR from the cross x₁x₂ alone, with no hidden layer', async () => {
    const data = makePlaneData({ set: 'xor', noise: 0, trainRatio: 0.5, seed: 5 });
    const net = new PlaygroundNet(data, { ...defaultNet, features: ['x1x2'], hidden: [], lr: 0.1, seed: 5 });
    const first = await net.losses();
    for (let i = 0; i < 150; i++) net.step();
    const last = await net.losses();
    expect(last.test).toBeLessThan(first.test / 4);
    expect(last.testAccuracy).toBeGreaterThan(0.95);
    net.dispose();
  });

  it('fits a regression surface with MSE (no accuracy there)', async () => {
    const data = makePlaneData({ set: 'bumps', noise: 0, trainRatio: 0.5, seed: 6 });
    const net = new PlaygroundNet(data, { ...defaultNet, hidden: [6], lr: 0.1, seed: 6 });
    const first = await net.losses();
    for (let i = 0; i < 300; i++) net.step();
    const last = await net.losses();
    expect(last.train).toBeLessThan(first.train / 2);
    expect(last.testAccuracy).toBeNaN();
    net.dispose();
  });

  it('memorizes patterns: with a small, noisy train set the test loss rises while the train loss falls', async () => {
    for (const seed of [1, 2]) {
      const data = makePlaneData({ ...memorizePreset.data, seed });
      expect(data.train.y.length).toBe(30);
      const net = new PlaygroundNet(data, { ...defaultNet, ...memorizePreset.net, seed });
      const curve: { train: number; test: number }[] = [];
      for (let i = 0; i <= 600; i++) {
        if (i % 100 === 0) curve.push(await net.losses());
        net.step();
      }
      net.dispose();
      const [mid, end] = [curve[3], curve[6]];
      // From step 300 to 600 the train loss keeps falling and the test loss keeps rising.
      expect(end.train, `seed ${seed}`).toBeLessThan(mid.train);
      expect(end.test, `seed ${seed}`).toBeGreaterThan(mid.test);
      // The gap is wide: near-perfect on the training points, worse than a coin on the rest.
      expect(end.train).toBeLessThan(0.2);
      expect(end.test).toBeGreaterThan(Math.log(2) + 0.2);
      expect(end.test).toBeGreaterThan(Math.min(...curve.map((c) => c.test)) + 0.2);
    }
  });
});

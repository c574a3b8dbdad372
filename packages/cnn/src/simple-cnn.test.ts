import type { Linear } from '@descent/layers';
import { leakGuard, tf } from '@descent/tensor';
import { describe, expect, it } from 'vitest';
import { useConvGradientBackend } from '../test/backends';
import { randomNchw } from '../test/reference';
import type { Conv2d } from './conv2d';
import { parameterSharing } from './parameter-sharing';
import { simpleCnn } from './simple-cnn';

const types = (m: { layers: { toJSON(): { type: string } }[] }) => m.layers.map((l) => l.toJSON().type);

describe('simpleCnn', () => {
  it('builds conv → ReLU → max-pool blocks, then Flatten → Linear to the logits', () => {
    const model = simpleCnn({ inputShape: [1, 28, 28], classes: 2, seed: 1 });
    expect(types(model)).toEqual([
      'Conv2d',
      'ReLU',
      'MaxPool2d',
      'Conv2d',
      'ReLU',
      'MaxPool2d',
      'Flatten',
      'Linear',
    ]);
    // 28 → 14 → 7 with 16 channels: 16 · 7 · 7 = 784 features.
    expect((model.at(7) as Linear).inFeatures).toBe(784);
    const x = tf.zeros([3, 1, 28, 28]);
    const guard = leakGuard();
    const y = model.forward(x);
    expect(y.shape).toEqual([3, 2]);
    y.dispose();
    guard.check('simpleCnn forward');
    x.dispose();
    model.dispose();
  });

  it('adds BatchNorm2d, hidden layers and dropout on request, and the same seed gives the same model', () => {
    const options = {
      inputShape: [3, 16, 12] as [number, number, number],
      classes: 1,
      channels: [4, 8, 8],
      hidden: [32, 16],
      dropout: 0.25,
      batchNorm: true,
      seed: 7,
    };
    const model = simpleCnn(options);
    expect(types(model)).toEqual([
      ...['Conv2d', 'BatchNorm2d', 'ReLU', 'MaxPool2d'],
      ...['Conv2d', 'BatchNorm2d', 'ReLU', 'MaxPool2d'],
      ...['Conv2d', 'BatchNorm2d', 'ReLU', 'MaxPool2d'],
      ...['Flatten', 'Linear', 'ReLU', 'Dropout', 'Linear', 'ReLU', 'Dropout', 'Linear'],
    ]);
    expect((model.at(0) as Conv2d).bias).toBeNull();
    // 16 x 12 → 8 x 6 → 4 x 3 → 2 x 1, 8 channels.
    expect((model.at(13) as Linear).inFeatures).toBe(16);
    const twin = simpleCnn(options);
    const a = model.stateDict();
    const b = twin.stateDict();
    expect(Object.keys(b)).toEqual(Object.keys(a));
    for (const key of Object.keys(a))
      expect(Array.from(b[key].dataSync()), key).toEqual(Array.from(a[key].dataSync()));
    tf.dispose([...Object.values(a), ...Object.values(b)]);
    model.dispose();
    twin.dispose();
  });

  it('shows parameter sharing: each conv weight is reused across the image, the dense layers’ are not', () => {
    const model = simpleCnn({ inputShape: [1, 28, 28], classes: 2, channels: [8, 16], seed: 1 });
    const summary = model.summary([1, 28, 28]);
    // Conv2d(1, 8, 3): 8·1·3·3 + 8 = 80; Conv2d(8, 16, 3): 16·8·9 + 16 = 1168; Linear(784, 2): 1570.
    expect(summary).toMatch(/0\s+Conv2d\s+\[N, 8, 28, 28\]\s+80\n/);
    expect(summary).toMatch(/3\s+Conv2d\s+\[N, 16, 14, 14\]\s+1,168\n/);
    expect(summary).toMatch(/7\s+Linear\s+\[N, 2\]\s+1,570\n/);
    expect(summary).toContain('Total params: 2,818');
    const rows = parameterSharing(model, [1, 28, 28]);
    expect(
      rows.map(({ name, type, parameters, denseParameters }) => [name, type, parameters, denseParameters]),
    ).toEqual([
      // A dense layer from 784 inputs to 8·28·28 = 6272 outputs: 784 · 6272 weights + 6272 biases.
      ['0', 'Conv2d', 80, 784 * 6272 + 6272],
      ['3', 'Conv2d', 1168, 8 * 14 * 14 * (16 * 14 * 14) + 16 * 14 * 14],
      ['7', 'Linear', 1570, 1570],
    ]);
    expect(rows[0].sharing).toBeGreaterThan(60_000);
    expect(rows[2].sharing).toBe(1);
    expect(rows[0].outputShape).toEqual([8, 28, 28]);
    expect(() => parameterSharing(model, [28, 28])).toThrow(
      'Conv2d(1, 8, 3): input: expected shape [N, 1, H, W], found [1, 28, 28]',
    );
    model.dispose();
  });

  it('rejects options naming the option', () => {
    expect(() =>
      simpleCnn({ inputShape: [28, 28] as unknown as [number, number, number], classes: 2 }),
    ).toThrow(
      'simpleCnn: inputShape: expected [channels, height, width] of positive integers, found [28, 28]',
    );
    expect(() => simpleCnn({ inputShape: [1, 6, 6], classes: 2, channels: [4, 4, 4] })).toThrow(
      'simpleCnn: inputShape: 3 blocks halve 6 x 6 3 times, leaving nothing; expected height and width of at least 8, found [1, 6, 6]',
    );
    expect(() => simpleCnn({ inputShape: [1, 8, 8], classes: 0 })).toThrow(
      'simpleCnn: classes: expected a positive integer',
    );
    expect(() => simpleCnn({ inputShape: [1, 8, 8], classes: 2, dropout: 1 })).toThrow(
      'simpleCnn: dropout: expected a number in [0, 1), found 1',
    );
  });
});

describe('simpleCnn training', () => {
  useConvGradientBackend();

  it('learns to tell bright-left from bright-right images, leaking nothing per step', () => {
    // Binary image classification in miniature: class 1 has its bright stripe on the right.
    const n = 16;
    const noise = randomNchw([n, 1, 8, 8], 11).data;
    const data = noise.map((v, i) => {
      const sample = Math.floor(i / 64);
      const col = i % 8;
      const right = sample % 2 === 1;
      return 0.1 * v + ((right ? col >= 5 : col <= 2) ? 1 : 0);
    });
    const x = tf.tensor4d(data, [n, 1, 8, 8]);
    const labels = tf.tensor2d(
      Array.from({ length: n }, (_, i) => i % 2),
      [n, 1],
    );
    const model = simpleCnn({ inputShape: [1, 8, 8], classes: 1, channels: [4], seed: 3 });
    const loss = () => tf.losses.sigmoidCrossEntropy(labels, model.forward(x)) as tf.Scalar;
    const first = tf.tidy(() => loss().dataSync()[0]);
    const guard = leakGuard();
    for (let step = 0; step < 30; step++) {
      tf.tidy(() => {
        const { grads } = tf.variableGrads(
          loss,
          model.trainableParameters().map((p) => p.variable),
        );
        for (const p of model.trainableParameters())
          p.variable.assign(tf.sub(p.variable, tf.mul(grads[p.variable.name], 0.5)));
      });
    }
    guard.check('training steps');
    const last = tf.tidy(() => loss().dataSync()[0]);
    expect(last).toBeLessThan(first / 4);
    tf.dispose([x, labels]);
    model.dispose();
  });
});

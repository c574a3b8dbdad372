import { tf } from '@descent/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import fixtures from '../fixtures/pool-ceil-mode.json';
import { forwardBackends, onBackend } from '../test/backends';
import { maxAbsDiff, type Nchw } from '../test/reference';
import { AvgPool2d } from './avg-pool2d';
import { MaxPool2d } from './max-pool2d';
import type { Size2 } from './options';

// MaxPool2d and AvgPool2d with ceilMode against PyTorch (fixtures/make-fixtures.py's pool_case):
// the output and the gradient of sum(y · r) for the input.

type Case = (typeof fixtures.cases)[number];
type Shape4 = Nchw['shape'];
const worst = { forward: 0, gradients: 0 };

afterAll(() => {
  if (process.env['DESCENT_REPORT_DIFFS']) console.info('pools with ceilMode vs PyTorch', worst);
});

function build(c: Case): MaxPool2d | AvgPool2d {
  const geometry = { stride: c.stride as Size2, padding: c.padding as Size2, ceilMode: true };
  return c.kind === 'max'
    ? new MaxPool2d(c.kernelSize as Size2, geometry)
    : new AvgPool2d(c.kernelSize as Size2, { ...geometry, countIncludePad: c.countIncludePad });
}

describe('pooling with ceilMode', () => {
  it("gives PyTorch's 4×4 where floor gives 3×3 (2×2 windows, stride 2, on 7×7)", () => {
    const x = tf.zeros([1, 1, 7, 7]);
    const floor = new MaxPool2d(2).forward(x);
    const ceil = new MaxPool2d(2, { ceilMode: true }).forward(x);
    expect(floor.shape).toEqual([1, 1, 3, 3]);
    expect(ceil.shape).toEqual([1, 1, 4, 4]);
    expect(new AvgPool2d(2, { ceilMode: true }).toJSON()).toMatchObject({ ceilMode: true });
    expect(() => new MaxPool2d(2, { ceilMode: 1 as unknown as boolean })).toThrow(
      'MaxPool2d(2): ceilMode: expected a boolean, found 1',
    );
    tf.dispose([x, floor, ceil]);
  });

  for (const backend of forwardBackends) {
    it(`matches torch.nn.MaxPool2d / AvgPool2d(ceil_mode=True), outputs and input gradients, on ${backend}`, async () => {
      await onBackend(backend, () => {
        for (const c of fixtures.cases) {
          const pool = build(c);
          const x = tf.tensor4d(c.x.data, c.x.shape as Shape4);
          const r = tf.tensor4d(c.r, c.y.shape as Shape4);
          const before = tf.memory().numTensors;
          const y = pool.forward(x);
          expect(y.shape, c.name).toEqual(c.y.shape);
          const grad = tf.grad((input: tf.Tensor) => tf.sum(tf.mul(pool.forward(input), r)))(x);
          const dy = maxAbsDiff(y.dataSync(), c.y.data);
          const dg = maxAbsDiff(grad.dataSync(), c.gradX);
          worst.forward = Math.max(worst.forward, dy);
          worst.gradients = Math.max(worst.gradients, dg);
          expect(dy, `${c.name}: y`).toBeLessThan(1e-5);
          expect(dg, `${c.name}: grad x`).toBeLessThan(1e-5);
          tf.dispose([y, grad]);
          expect(tf.memory().numTensors, c.name).toBe(before);
          tf.dispose([x, r]);
        }
      });
    });
  }
});

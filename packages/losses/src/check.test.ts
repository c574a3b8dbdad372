import { leakGuard, readIfResident, tf } from '@descent/tensor';
import { fakeWebgpuBackend } from '@descent/tensor/testing';
import { describe, expect, it } from 'vitest';
import { bceWithLogits } from './bce-with-logits';
import { checkOptions, checkRange, checkTarget, formatFloat32, position } from './check';
import { crossEntropy } from './cross-entropy';

describe('boundary checks', () => {
  it('writes float32 values as their shortest decimal', () => {
    expect(formatFloat32(Math.fround(1.2))).toBe('1.2');
    expect(formatFloat32(Math.fround(-0.1))).toBe('-0.1');
    expect(formatFloat32(3)).toBe('3');
    expect(formatFloat32(Math.fround(1 / 3))).toBe('0.33333334');
    expect(formatFloat32(Number.NaN)).toBe('NaN');
  });

  it('turns a flat offset into a multi-index', () => {
    expect(position([2, 3], 5)).toBe('index [1, 2]');
    expect(position([2, 3, 4], 13)).toBe('index [1, 0, 1]');
    expect(position([], 0)).toBe('the only element');
  });

  it('refuses options that are not an object', () => {
    expect(() => checkOptions('mse', 'sum', ['reduction'])).toThrow(
      'mse: options: expected an object with keys among "reduction", found "sum"',
    );
    expect(checkOptions('mse', undefined, ['reduction'])).toEqual({});
  });

  it('refuses string and disposed targets', () => {
    const s = tf.tensor(['a']);
    expect(() => checkTarget('mse', s)).toThrow(
      'mse: target: expected dtype float32, int32 or bool, found dtype string',
    );
    s.dispose();
    expect(() => checkTarget('mse', s)).toThrow(
      'mse: target: expected a live tensor, found a disposed tensor',
    );
  });
});

describe('value checks on a backend without synchronous reads (WebGPU)', () => {
  it('check host-resident values, skip device-resident ones without reading them, and still check elsewhere', async () => {
    const previous = tf.getBackend();
    const fake = fakeWebgpuBackend();
    try {
      expect(await tf.setBackend('webgpu')).toBe(true);
      const guard = leakGuard();
      const logits = tf.tensor2d([
        [2, 0.5, -1],
        [0, 0, 3],
      ]);
      // Fresh from host arrays, as a Learner builds each batch's target: checked, exactly.
      const badIndex = tf.tensor1d([0, 3], 'int32');
      expect(() => crossEntropy(logits, badIndex)).toThrow(
        'crossEntropy: target: expected class indices, integers in [0, 3), found 3 at index [1]',
      );
      const zeros = tf.zeros([2, 1]);
      const badTarget = tf.tensor2d([[0.2], [1.5]]);
      expect(() => bceWithLogits(zeros, badTarget)).toThrow(
        'bceWithLogits: target: expected values in [0, 1], found 1.5 at index [1, 0]',
      );
      expect(readIfResident(badTarget)).toEqual(new Float32Array([0.2, 1.5]));
      // On the device only: the check is skipped rather than read back synchronously.
      fake.upload(badIndex);
      fake.upload(badTarget);
      expect(readIfResident(badTarget)).toBeNull();
      const ce = crossEntropy(logits, badIndex, { reduction: 'none' });
      // The out-of-range index one-hots to a zero row: that sample's loss is 0, unflagged.
      expect(Math.abs((await ce.data())[1])).toBe(0);
      const bceLoss = bceWithLogits(zeros, badTarget);
      expect(Number.isFinite((await bceLoss.data())[0])).toBe(true);
      expect(fake.deviceReads).toBe(0);
      tf.dispose([logits, zeros, badIndex, badTarget, ce, bceLoss]);
      guard.check('value checks on webgpu');
    } finally {
      await tf.setBackend(previous);
      fake.remove();
    }
    // Back on the test backend, the same device-made tensors are scanned as before.
    const t = tf.tensor2d([[0.2], [1.5]]);
    expect(readIfResident(t)).toEqual(new Float32Array([0.2, 1.5]));
    expect(() => checkRange('bce', 'target', t, 0, 1)).toThrow(
      'bce: target: expected values in [0, 1], found 1.5 at index [1, 0]',
    );
    t.dispose();
  });
});

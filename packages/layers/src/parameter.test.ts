import { tf } from '@descent/tensor';
import { describe, expect, it } from 'vitest';
import { Parameter } from './parameter';

describe('Parameter', () => {
  it('wraps an auto-named tf.Variable and takes over the initial tensor', () => {
    const before = tf.memory().numTensors;
    const initial = tf.tensor2d([
      [1, 2],
      [3, 4],
    ]);
    const a = new Parameter(initial);
    const b = new Parameter(tf.zeros([3]));
    expect(initial.isDisposed).toBe(true);
    expect(tf.memory().numTensors).toBe(before + 2);
    expect(a.value).toBe(a.variable);
    expect(a.shape).toEqual([2, 2]);
    expect(a.size).toBe(4);
    expect(Array.from(a.value.dataSync())).toEqual([1, 2, 3, 4]);
    // tfjs names must be globally unique, so none is fixed.
    expect(a.variable.name).not.toBe(b.variable.name);
    a.dispose();
    b.dispose();
    a.dispose();
    expect(a.isDisposed).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('maps trainable onto the variable', () => {
    const p = new Parameter(tf.ones([2]), { trainable: false });
    expect(p.trainable).toBe(false);
    expect(p.variable.trainable).toBe(false);
    p.trainable = true;
    expect(p.variable.trainable).toBe(true);
    expect(() => {
      p.trainable = 1 as unknown as boolean;
    }).toThrow('trainable: expected a boolean, found 1');
    p.dispose();
  });

  it('rejects what is not a live float32 tensor', () => {
    expect(() => new Parameter([1, 2] as unknown as tf.Tensor)).toThrow(
      'initial: expected a tensor, found [1, 2]',
    );
    const ints = tf.tensor1d([1], 'int32');
    expect(() => new Parameter(ints)).toThrow(
      'initial: expected a float32 tensor, found a int32 tensor of shape [1]',
    );
    const v = tf.variable(tf.zeros([1]));
    expect(() => new Parameter(v)).toThrow('initial: expected a tensor that is not a tf.Variable');
    tf.dispose([ints, v]);
  });
});

import { leakGuard, tf } from '@descent/tensor';
import { describe, expect, it } from 'vitest';
import { constant } from './init';
import { Linear } from './linear';
import { loadSafetensors } from './load-safetensors';
import { Module } from './module';
import { ModuleBuffer } from './module-buffer';
import { Parameter } from './parameter';
import { saveSafetensors } from './save-safetensors';
import { Sequential } from './sequential';

/**
 * A running-mean layer in the BatchNorm style: a learnable scale, a float buffer (declared
 * before the parameter, to check that the state dict still puts parameters first, as PyTorch
 * does), an integer counter and a scratch buffer that is not saved.
 */
class RunningMean extends Module {
  readonly runningMean = new ModuleBuffer(tf.zeros([2]));
  readonly scale = new Parameter(tf.ones([2]));
  readonly count = new ModuleBuffer(tf.scalar(0, 'int32'));
  readonly scratch = new ModuleBuffer(tf.zeros([1]), { persistent: false });

  forward(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      if (this.training) {
        const mean = tf.mean(x, 0);
        this.runningMean.assign(tf.add(tf.mul(this.runningMean.value, 0.5), tf.mul(mean, 0.5)));
        this.count.assign(tf.add(this.count.value, tf.scalar(1, 'int32')));
      }
      return tf.mul(tf.sub(x, this.runningMean.value), this.scale.value);
    });
  }
}

const values = (t: tf.Tensor) => Array.from(t.dataSync());

describe('ModuleBuffer', () => {
  it('holds a non-trainable variable, takes over the initial tensor and allows int32', () => {
    const guard = leakGuard();
    const initial = tf.tensor1d([1, 2]);
    const b = new ModuleBuffer(initial);
    const n = new ModuleBuffer(tf.scalar(3, 'int32'));
    expect(initial.isDisposed).toBe(true);
    expect(b.variable.trainable).toBe(false);
    expect(b.persistent).toBe(true);
    expect([b.shape, b.size, b.dtype, values(b.value)]).toEqual([[2], 2, 'float32', [1, 2]]);
    expect([n.dtype, values(n.value)]).toEqual(['int32', [3]]);
    b.dispose();
    n.dispose();
    b.dispose();
    expect(b.isDisposed).toBe(true);
    guard.check('ModuleBuffer');
  });

  it('assign keeps the value made inside a tidy, casts to its dtype and checks the shape', () => {
    const b = new ModuleBuffer(tf.zeros([2]));
    const n = new ModuleBuffer(tf.scalar(0, 'int32'));
    const guard = leakGuard();
    tf.tidy(() => {
      b.assign(tf.tensor1d([3, 4]));
      n.assign(tf.scalar(2.9)); // float to int truncates, as a cast does
    });
    guard.check('assign');
    expect(values(b.value)).toEqual([3, 4]);
    expect([n.dtype, values(n.value)]).toEqual(['int32', [2]]);
    const wrong = tf.zeros([3]);
    expect(() => b.assign(wrong)).toThrow('ModuleBuffer.assign: value: expected shape [2], found [3]');
    expect(() => b.assign([1, 2] as unknown as tf.Tensor)).toThrow(
      'ModuleBuffer.assign: value: expected a live tensor, found [1, 2]',
    );
    tf.dispose([wrong, b.value, n.value]);
  });

  it('rejects what is not a live float32 or int32 tensor', () => {
    const flags = tf.tensor1d([true], 'bool');
    const v = tf.variable(tf.zeros([1]));
    expect(() => new ModuleBuffer(flags)).toThrow(
      'initial: expected a float32 or int32 tensor, found a bool tensor of shape [1]',
    );
    expect(() => new ModuleBuffer(v)).toThrow('initial: expected a tensor that is not a tf.Variable');
    const z = tf.zeros([1]);
    expect(() => new ModuleBuffer(z, { persistent: 'yes' as unknown as boolean })).toThrow(
      'persistent: expected a boolean, found "yes"',
    );
    tf.dispose([flags, v, z]);
  });
});

describe('buffers in a Module', () => {
  it('are found like parameters but left out of parameters(), counts and freezing', () => {
    const model = new Sequential([new Linear(2, 2, { seed: 1 }), new RunningMean()]);
    expect(model.namedBuffers().map(([n, b]) => [n, b.shape])).toEqual([
      ['1.runningMean', [2]],
      ['1.count', []],
      ['1.scratch', [1]],
    ]);
    expect(model.buffers()).toHaveLength(3);
    expect(model.namedBuffers({ recurse: false })).toEqual([]);
    expect(
      model
        .at(1)
        .namedBuffers({ recurse: false })
        .map(([n]) => n),
    ).toEqual(['runningMean', 'count', 'scratch']);
    expect(model.namedParameters().map(([n]) => n)).toEqual(['0.weight', '0.bias', '1.scale']);
    expect(model.numParameters()).toBe(6 + 2);
    model.freeze();
    model.unfreeze();
    expect(model.buffers().every((b) => !b.variable.trainable)).toBe(true);
    model.dispose();
  });

  it('update inside tf.variableGrads, which gives them no gradient', () => {
    const model = new RunningMean();
    const x = tf.tensor2d([
      [1, 2],
      [3, 6],
    ]);
    const guard = leakGuard();
    const { value, grads } = tf.variableGrads(() => tf.sum(model.forward(x)) as tf.Scalar);
    expect(Object.keys(grads)).toEqual([model.scale.variable.name]);
    tf.dispose([value, ...Object.values(grads)]);
    guard.check('training step');
    // mean of the batch is [2, 4]; momentum 0.5 from zeros gives [1, 2].
    expect(values(model.runningMean.value)).toEqual([1, 2]);
    expect(values(model.count.value)).toEqual([1]);
    model.eval();
    expect(values(model.forward(x))).toEqual([0, 0, 2, 4]);
    tf.dispose(x);
    model.dispose();
  });

  it('go into the state dict after each module’s parameters, persistent ones only', () => {
    const model = new Sequential([new RunningMean(), new Linear(2, 1, { seed: 2 })]);
    const dict = model.stateDict();
    expect(Object.entries(dict).map(([n, t]) => [n, t.dtype])).toEqual([
      ['0.scale', 'float32'],
      ['0.runningMean', 'float32'],
      ['0.count', 'int32'],
      ['1.weight', 'float32'],
      ['1.bias', 'float32'],
    ]);
    tf.dispose(Object.values(dict));
    model.dispose();
  });

  it('round-trip through loadStateDict and safetensors, keeping the int32 dtype', async () => {
    const a = new RunningMean();
    const x = tf.tensor2d([
      [1, 2],
      [3, 6],
    ]);
    tf.dispose(a.forward(x));
    tf.dispose(a.forward(x));
    const dict = a.stateDict();
    const bytes = await saveSafetensors(dict);
    tf.dispose(Object.values(dict));
    const b = new RunningMean();
    const { tensors } = loadSafetensors(bytes);
    expect(b.loadStateDict(tensors)).toEqual({ missingKeys: [], unexpectedKeys: [] });
    tf.dispose(Object.values(tensors));
    expect(values(b.runningMean.value)).toEqual([1.5, 3]);
    expect([b.count.dtype, values(b.count.value)]).toEqual(['int32', [2]]);
    a.eval();
    b.eval();
    expect(values(b.forward(x))).toEqual(values(a.forward(x)));
    // A float value for the integer buffer is cast, as PyTorch's int64 arrives as float elsewhere.
    const floats = { scale: tf.ones([2]), runningMean: tf.zeros([2]), count: tf.scalar(7) };
    b.loadStateDict(floats);
    expect([b.count.dtype, values(b.count.value)]).toEqual(['int32', [7]]);
    tf.dispose([x, ...Object.values(floats)]);
    a.dispose();
    b.dispose();
  });

  it('are checked by loadStateDict like parameters', () => {
    const model = new RunningMean();
    const good = model.stateDict();
    const { count: _, ...missing } = good;
    expect(() => model.loadStateDict(missing)).toThrow('loadStateDict: missing keys: count');
    expect(() => model.loadStateDict({ ...good, scratch: good['scale'] })).toThrow(
      'loadStateDict: unexpected keys: scratch',
    );
    const wrong = tf.zeros([3]);
    expect(() => model.loadStateDict({ ...good, runningMean: wrong })).toThrow(
      'loadStateDict: runningMean: expected shape [2], found [3]',
    );
    const flags = tf.scalar(true, 'bool');
    expect(() => model.loadStateDict({ ...good, count: flags })).toThrow(
      'loadStateDict: count: expected a int32 tensor, found a bool tensor',
    );
    tf.dispose([wrong, flags, ...Object.values(good)]);
    model.dispose();
  });

  it('are freed by dispose', () => {
    const guard = leakGuard();
    const model = new Sequential([new RunningMean(), new Linear(2, 2, { init: constant(1) })]);
    model.dispose();
    expect(model.buffers().every((b) => b.isDisposed)).toBe(true);
    guard.check('dispose');
  });
});

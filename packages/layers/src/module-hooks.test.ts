import { tf } from '@descent/tensor';
import { describe, expect, it } from 'vitest';
import { Linear } from './linear';
import { hasForwardHooks, type Module } from './module';
import { ReLU } from './relu';
import { Sequential } from './sequential';

const values = (t: tf.Tensor) => Array.from(t.dataSync());

describe('forward hooks', () => {
  it('run around forward through call, in order, on every child of a Sequential', () => {
    const model = new Sequential([new Linear(2, 3, { seed: 1 }), new ReLU(), new Linear(3, 1, { seed: 2 })]);
    const seen: string[] = [];
    const handles = model.layers.flatMap((layer, i) => [
      layer.registerForwardPreHook((m, input) => {
        expect(m).toBe(layer);
        seen.push(`pre ${i} [${input.shape}]`);
        return undefined;
      }),
      layer.registerForwardHook((m, _input, output) => {
        expect(m).toBe(layer);
        seen.push(`post ${i} [${output.shape}]`);
        return undefined;
      }),
    ]);
    const x = tf.ones([4, 2]);
    tf.dispose(model.call(x));
    expect(seen).toEqual([
      'pre 0 [4,2]',
      'post 0 [4,3]',
      'pre 1 [4,3]',
      'post 1 [4,3]',
      'pre 2 [4,3]',
      'post 2 [4,1]',
    ]);
    for (const h of handles) h.remove();
    seen.length = 0;
    tf.dispose(model.call(x));
    expect(seen).toEqual([]);
    x.dispose();
    model.dispose();
  });

  it('replace the input or the output when they return a tensor; forward itself never runs hooks', () => {
    const relu = new ReLU();
    const x = tf.tensor1d([-1, 2]);
    const negate = relu.registerForwardPreHook((_m, input) => tf.neg(input));
    const addOne = relu.registerForwardHook((_m, _input, output) => tf.add(output, 1));
    expect(values(tf.tidy(() => relu.call(x)))).toEqual([2, 1]);
    expect(values(tf.tidy(() => relu.forward(x)))).toEqual([0, 2]);
    negate.remove();
    negate.remove();
    expect(values(tf.tidy(() => relu.call(x)))).toEqual([1, 3]);
    addOne.remove();
    expect(values(tf.tidy(() => relu.call(x)))).toEqual([0, 2]);
    x.dispose();
  });

  it('are not part of the model: not in fields, children, state dict or config', () => {
    const model = new Sequential([new Linear(2, 1, { seed: 1 })]);
    const keys = (m: Module) => Object.keys(m).sort();
    const before = { own: keys(model), layer: keys(model.at(0)), json: JSON.stringify(model.toJSON()) };
    const handle = model.registerForwardHook(() => undefined);
    model.at(0).registerForwardPreHook(() => undefined);
    expect(keys(model)).toEqual(before.own);
    expect(keys(model.at(0))).toEqual(before.layer);
    expect(JSON.stringify(model.toJSON())).toBe(before.json);
    expect(model.modules()).toHaveLength(2);
    const dict = model.stateDict();
    expect(Object.keys(dict)).toEqual(['0.weight', '0.bias']);
    tf.dispose(Object.values(dict));
    handle.remove();
    model.dispose();
  });

  it('summary uses hooks and leaves none behind', () => {
    const model = new Sequential([new Linear(2, 3, { seed: 1 }), new ReLU()]);
    const x = tf.ones([1, 2]);
    const plain = values(tf.tidy(() => model.call(x)));
    expect(model.summary([2])).toMatch(/1\s+ReLU\s+\[N, 3\]/);
    expect(model.modules().some(hasForwardHooks)).toBe(false);
    expect(values(tf.tidy(() => model.call(x)))).toEqual(plain);
    x.dispose();
    model.dispose();
  });

  it('refuses a hook that is not a function', () => {
    const relu = new ReLU();
    expect(() => relu.registerForwardHook(3 as never)).toThrow(
      'registerForwardHook: hook: expected a function',
    );
    expect(() => relu.registerForwardPreHook(null as never)).toThrow(
      'registerForwardPreHook: hook: expected a function',
    );
  });
});

import { leakGuard, tf } from '@descent/tensor';
import { describe, expect, it } from 'vitest';
import { Dropout } from './dropout';
import { constant } from './init';
import { Linear } from './linear';
import { Module } from './module';
import { Parameter } from './parameter';
import { ReLU } from './relu';
import { Sequential } from './sequential';
import { Softplus } from './softplus';

/** A hand-written model in the micrograd style: fields in declaration order. */
class TwoTower extends Module {
  readonly scale = new Parameter(tf.ones([1]));
  readonly encoder = new Sequential([new Linear(3, 4, { seed: 1 }), new ReLU()]);
  readonly heads = [new Linear(4, 2, { seed: 2 }), new Linear(4, 1, { seed: 3 })];
  readonly drop = new Dropout({ p: 0.5, seed: 4 });
  readonly note = 'not a module';

  forward(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const h = this.drop.forward(this.encoder.forward(x));
      return tf.mul(
        tf.concat(
          this.heads.map((m) => m.forward(h)),
          1,
        ),
        this.scale.value,
      );
    });
  }
}

const course = () => new Sequential([new Linear(1, 2), new Softplus(), new Linear(2, 1)]);

describe('Module discovery', () => {
  it('names Sequential parameters like PyTorch: 0.weight, 0.bias, 2.weight, 2.bias', () => {
    const model = course();
    expect(model.namedParameters().map(([n, p]) => [n, p.shape])).toEqual([
      ['0.weight', [2, 1]],
      ['0.bias', [2]],
      ['2.weight', [1, 2]],
      ['2.bias', [1]],
    ]);
    expect(model.namedChildren().map(([n, m]) => [n, m.toJSON().type])).toEqual([
      ['0', 'Linear'],
      ['1', 'Softplus'],
      ['2', 'Linear'],
    ]);
    model.dispose();
  });

  it('finds children and parameters in fields, in declaration order', () => {
    const model = new TwoTower();
    expect(model.namedChildren().map(([n]) => n)).toEqual(['encoder', 'heads.0', 'heads.1', 'drop']);
    expect(model.namedParameters().map(([n]) => n)).toEqual([
      'scale',
      'encoder.0.weight',
      'encoder.0.bias',
      'heads.0.weight',
      'heads.0.bias',
      'heads.1.weight',
      'heads.1.bias',
    ]);
    expect(model.namedParameters({ recurse: false }).map(([n]) => n)).toEqual(['scale']);
    expect(model.namedModules().map(([n]) => n)).toEqual([
      '',
      'encoder',
      'encoder.0',
      'encoder.1',
      'heads.0',
      'heads.1',
      'drop',
    ]);
    expect(model.modules()[0]).toBe(model);
    expect(model.children()).toHaveLength(4);
    expect(model.numParameters()).toBe(1 + 16 + 10 + 5);
    model.dispose();
  });

  it('lists a shared parameter or module once', () => {
    const shared = new Linear(2, 2, { seed: 1 });
    const model = new Sequential([shared, new ReLU(), shared]);
    expect(model.namedParameters().map(([n]) => n)).toEqual(['0.weight', '0.bias']);
    expect(model.modules()).toHaveLength(3);
    model.dispose();
  });

  it('train() and eval() reach every descendant', () => {
    const model = new TwoTower();
    expect(model.eval()).toBe(model);
    expect(model.modules().every((m) => !m.training)).toBe(true);
    model.train();
    expect(model.modules().every((m) => m.training)).toBe(true);
    model.train(false);
    expect(model.drop.training).toBe(false);
    model.dispose();
  });
});

describe('freeze', () => {
  it('empties trainableParameters() and hides the variables from tf.variableGrads', () => {
    const model = course();
    const x = tf.tensor2d([[0.5], [1.5]]);
    const loss = () => tf.sum(model.forward(x)) as tf.Scalar;
    expect(model.freeze()).toBe(model);
    expect(model.trainableParameters()).toEqual([]);
    expect(model.parameters()).toHaveLength(4);
    expect(model.numParameters({ trainableOnly: true })).toBe(0);

    (model.at(2) as Linear).unfreeze();
    const names = (ps: Parameter[]) => ps.map((p) => p.variable.name);
    expect(names(model.trainableParameters())).toEqual(names((model.at(2) as Linear).parameters()));
    // Without a list tfjs takes every registered trainable variable: the frozen ones are not among them.
    const { value, grads } = tf.variableGrads(loss);
    for (const name of names(model.at(0).parameters())) expect(grads).not.toHaveProperty(name);
    for (const name of names(model.at(2).parameters())) expect(grads).toHaveProperty(name);
    // With the trainable list: exactly those.
    const explicit = tf.variableGrads(
      loss,
      model.trainableParameters().map((p) => p.variable),
    );
    expect(Object.keys(explicit.grads).sort()).toEqual(names(model.trainableParameters()).sort());
    tf.dispose([x, value, explicit.value, ...Object.values(grads), ...Object.values(explicit.grads)]);
    model.unfreeze();
    expect(model.trainableParameters()).toHaveLength(4);
    model.dispose();
  });
});

describe('stateDict and loadStateDict', () => {
  it('stateDict returns copies keyed like PyTorch that survive later training steps', () => {
    const model = course();
    const dict = model.stateDict();
    expect(Object.keys(dict)).toEqual(['0.weight', '0.bias', '2.weight', '2.bias']);
    const before = Array.from(dict['0.weight'].dataSync());
    const w = model.at(0).parameters()[0].variable;
    w.assign(tf.tidy(() => tf.add(w, 1)));
    expect(Array.from(dict['0.weight'].dataSync())).toEqual(before);
    tf.dispose(Object.values(dict));
    model.dispose();
  });

  it('loads a dict into another model so that it computes the same function', () => {
    const a = course();
    const b = course();
    const x = tf.tensor2d([[0], [0.5], [1]]);
    const dict = a.stateDict();
    const result = b.loadStateDict(dict);
    expect(result).toEqual({ missingKeys: [], unexpectedKeys: [] });
    tf.dispose(Object.values(dict));
    expect(Array.from(b.forward(x).dataSync())).toEqual(Array.from(a.forward(x).dataSync()));
    tf.dispose(x);
    a.dispose();
    b.dispose();
  });

  it('reports shape mismatches and missing or unexpected keys, and writes nothing then', () => {
    const model = course();
    const original = Array.from(model.at(0).parameters()[1].value.dataSync());
    const good = model.stateDict();
    const wrongShape = { ...good, '0.weight': tf.zeros([3, 1]), '0.bias': tf.zeros([2]) };
    expect(() => model.loadStateDict(wrongShape)).toThrow(
      'loadStateDict: 0.weight: expected shape [2, 1], found [3, 1]',
    );
    expect(Array.from(model.at(0).parameters()[1].value.dataSync())).toEqual(original);

    const { '2.bias': _, ...missing } = good;
    expect(() => model.loadStateDict(missing)).toThrow('loadStateDict: missing keys: 2.bias');
    expect(() => model.loadStateDict({ ...good, 'head.weight': good['2.weight'] })).toThrow(
      'loadStateDict: unexpected keys: head.weight',
    );
    const partial = model.loadStateDict({ ...missing, extra: good['2.bias'] }, { strict: false });
    expect(partial).toEqual({ missingKeys: ['2.bias'], unexpectedKeys: ['extra'] });
    // A shape mismatch fails even when not strict.
    expect(() => model.loadStateDict(wrongShape, { strict: false })).toThrow(
      '0.weight: expected shape [2, 1]',
    );
    expect(() => model.loadStateDict({ ...good, '2.bias': 'x' as unknown as tf.Tensor })).toThrow(
      'loadStateDict: 2.bias: expected a tensor, found "x"',
    );
    expect(() => model.loadStateDict(null as unknown as Record<string, tf.Tensor>)).toThrow(
      'loadStateDict: dict',
    );
    tf.dispose([...Object.values(good), wrongShape['0.weight'], wrongShape['0.bias']]);
    model.dispose();
  });

  it('casts int32 values to float32 and leaks nothing', () => {
    const layer = new Linear(2, 1, { init: constant(0) });
    const dict = { weight: tf.tensor2d([[1, 2]], [1, 2], 'int32'), bias: tf.tensor1d([3], 'int32') };
    const guard = leakGuard();
    layer.loadStateDict(dict);
    guard.check('loadStateDict');
    tf.dispose(Object.values(dict));
    expect(layer.weight.value.dtype).toBe('float32');
    expect(Array.from(layer.weight.value.dataSync())).toEqual([1, 2]);
    layer.dispose();
  });
});

describe('dispose', () => {
  it('frees every parameter of the model', () => {
    const before = tf.memory().numTensors;
    const model = new TwoTower();
    expect(tf.memory().numTensors).toBe(before + model.parameters().length);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(model.parameters().every((p) => p.isDisposed)).toBe(true);
    model.dispose();
  });
});

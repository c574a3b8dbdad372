import { tf } from '@descent/tensor';
import { describe, expect, it } from 'vitest';
import { Dropout } from './dropout';
import { Identity } from './identity';
import { LeakyReLU } from './leaky-relu';
import { Linear } from './linear';
import { Module, type ModuleConfig } from './module';
import { fromConfig, registeredModules, registerModule } from './registry';
import { ReLU } from './relu';
import { Sequential } from './sequential';
import { Sigmoid } from './sigmoid';
import { Softmax } from './softmax';
import { Softplus } from './softplus';
import { Tanh } from './tanh';

describe('toJSON and fromConfig', () => {
  it('rebuild a model that, given the state dict, computes exactly the same outputs', () => {
    const model = new Sequential([
      new Linear(3, 6, { seed: 1 }),
      new LeakyReLU({ negativeSlope: 0.1 }),
      new Dropout({ p: 0.25, seed: 2 }),
      new Sequential([new Linear(6, 4, { bias: false, seed: 3 }), new Tanh()]),
      new Softplus({ beta: 2, threshold: 10 }),
      new Linear(4, 3, { seed: 4 }),
      new Sigmoid(),
      new ReLU(),
      new Identity(),
      new Softmax({ dim: 1 }),
    ]).eval();
    // Through a JSON string, as the Learner stores it.
    const config = JSON.parse(JSON.stringify(model)) as ModuleConfig;
    expect(config).toEqual(model.toJSON());
    const rebuilt = fromConfig(config).eval();
    expect(rebuilt).toBeInstanceOf(Sequential);
    expect(rebuilt.toJSON()).toEqual(model.toJSON());
    expect(rebuilt.namedParameters().map(([n, p]) => [n, p.shape])).toEqual(
      model.namedParameters().map(([n, p]) => [n, p.shape]),
    );
    const x = tf.randomNormal([5, 3], 0, 1, 'float32', 7);
    // Fresh weights first: a different function.
    expect(Array.from(rebuilt.forward(x).dataSync())).not.toEqual(Array.from(model.forward(x).dataSync()));
    const dict = model.stateDict();
    rebuilt.loadStateDict(dict);
    tf.dispose(Object.values(dict));
    expect(Array.from(rebuilt.forward(x).dataSync())).toEqual(Array.from(model.forward(x).dataSync()));
    x.dispose();
    model.dispose();
    rebuilt.dispose();
  });

  it('names an unknown type and the known ones', () => {
    expect(() => fromConfig({ type: 'Conv9d' })).toThrow(
      /fromConfig: config\.type: expected a registered module type \(.*Linear.*Sequential.*\), found "Conv9d"/,
    );
    expect(() => fromConfig(null as unknown as ModuleConfig)).toThrow(
      "fromConfig: config: expected an object with a string 'type'",
    );
    expect(() => fromConfig({ type: 'Linear', inFeatures: 'x' })).toThrow(
      'Linear: inFeatures: expected a positive integer, found "x"',
    );
    expect(() => fromConfig({ type: 'Sequential' })).toThrow('Sequential config: layers: expected an array');
  });

  it('registerModule teaches fromConfig a new type', () => {
    class Scale extends Module {
      constructor(readonly factor: number) {
        super();
      }
      forward(x: tf.Tensor): tf.Tensor {
        return tf.mul(x, this.factor);
      }
      override toJSON(): ModuleConfig {
        return { type: 'Scale', factor: this.factor };
      }
    }
    registerModule('Scale', (c) => new Scale(c['factor'] as number));
    expect(registeredModules()).toContain('Scale');
    const model = fromConfig({ type: 'Sequential', layers: [{ type: 'Scale', factor: 3 }] }) as Sequential;
    expect(model.at(0)).toBeInstanceOf(Scale);
    const y = model.forward(tf.tensor1d([1, 2]));
    expect(Array.from(y.dataSync())).toEqual([3, 6]);
    y.dispose();
    registerModule('NotAModule', () => ({}) as Module);
    expect(() => fromConfig({ type: 'NotAModule' })).toThrow(
      'the factory for "NotAModule": expected to return a Module',
    );
    expect(() => registerModule('', () => new Identity())).toThrow(
      'registerModule: type: expected a non-empty string',
    );
  });

  it('a custom module without toJSON reports its class name', () => {
    class Custom extends Module {
      forward(x: tf.Tensor): tf.Tensor {
        return x;
      }
    }
    expect(new Custom().toJSON()).toEqual({ type: 'Custom' });
  });
});

describe('fromConfig on a failing child', () => {
  it('frees the weights of the children built before it', () => {
    const before = tf.memory().numTensors;
    const config = {
      type: 'Sequential',
      layers: [
        { type: 'Linear', inFeatures: 2, outFeatures: 3 },
        { type: 'Sequential', layers: [{ type: 'Linear', inFeatures: 3, outFeatures: 3 }, { type: 'Nope' }] },
      ],
    };
    expect(() => fromConfig(config)).toThrow(/config.type: expected a registered module type/);
    expect(tf.memory().numTensors).toBe(before);
  });
});

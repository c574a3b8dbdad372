import { type NamedTensorMap, tf } from '@descent/tensor';
import { describe, expect, test } from 'vitest';
import {
  Adam,
  AdamW,
  type Optimizer,
  type OptimParam,
  RMSprop,
  SGD,
  stateDictFromJSON,
  stateDictToJSON,
} from './index';

const makers: [string, (p: OptimParam[]) => Optimizer][] = [
  ['SGD', (p) => new SGD(p, { lr: 0.05, momentum: 0.9, nesterov: true, weightDecay: 0.01 })],
  ['Adam', (p) => new Adam(p, { lr: 0.01, weightDecay: 0.01, amsgrad: true })],
  ['AdamW', (p) => new AdamW(p, { lr: 0.01, amsgrad: true })],
  ['RMSprop', (p) => new RMSprop(p, { lr: 0.01, momentum: 0.5, centered: true, weightDecay: 0.01 })],
];

/** Two parameters and a loss with gradients that change with the parameters. */
function problem(seed = 0) {
  const w = tf.variable(tf.tensor2d([0.3 + seed, -0.2, 0.1, 0.4], [2, 2]));
  const b = tf.variable(tf.tensor1d([0.1, -0.3]));
  const x = tf.tensor2d([1, 2, -1, 0.5, 0.25, -2], [3, 2]);
  const loss = () => tf.tidy(() => tf.sum(tf.square(tf.sin(tf.add(tf.matMul(x, w), b)))) as tf.Scalar);
  /** One step; b gets no gradient on the steps listed in `skipB`. */
  const step = (opt: Optimizer, t: number, skipB: number[] = []) => {
    const { grads, value } = tf.variableGrads(loss, skipB.includes(t) ? [w] : [w, b]);
    opt.step(grads);
    tf.dispose([grads, value]);
  };
  const values = () => [...w.dataSync(), ...b.dataSync()];
  const dispose = () => tf.dispose([w, b, x]);
  return { w, b, step, values, dispose };
}

describe('Optimizer', () => {
  test('takes variables and objects holding one (a layers Parameter)', () => {
    const a = tf.variable(tf.tensor1d([1, 2]));
    const b = tf.variable(tf.tensor1d([3]));
    const opt = new SGD([a, { variable: b }], { lr: 0.5 });
    opt.step({ [a.name]: tf.ones([2]), [b.name]: tf.ones([1]) });
    expect(Array.from(a.dataSync())).toEqual([0.5, 1.5]);
    expect(Array.from(b.dataSync())).toEqual([2.5]);
    expect(opt.params).toHaveLength(2);
    expect(opt.stepCount).toBe(1);
    tf.disposeVariables();
  });

  test('rejects bad parameter lists', () => {
    const a = tf.variable(tf.tensor1d([1, 2]));
    const i = tf.variable(tf.tensor1d([1, 2], 'int32'));
    expect(() => new SGD([], { lr: 0.1 })).toThrow(
      'params: expected at least one parameter, found an empty list',
    );
    expect(() => new SGD([a, { variable: a }], { lr: 0.1 })).toThrow(
      `params[1]: expected each parameter once, found variable "${a.name}" again (first at params[0])`,
    );
    expect(() => new SGD([tf.ones([2]) as never], { lr: 0.1 })).toThrow(
      'params[0]: expected a tf.Variable or an object with a `variable: tf.Variable`',
    );
    expect(() => new SGD([i], { lr: 0.1 })).toThrow('a float32 variable, found "int32"');
    tf.dispose([a, i]);
  });

  test('skips parameters without a gradient and frozen variables, and leaves the gradients alone', () => {
    const a = tf.variable(tf.tensor1d([1]));
    const frozen = tf.variable(tf.tensor1d([1]), false);
    const absent = tf.variable(tf.tensor1d([1]));
    const opt = new Adam([a, frozen, absent], { lr: 0.1 });
    const grads: NamedTensorMap = { [a.name]: tf.tensor1d([1]), [frozen.name]: tf.tensor1d([1]) };
    opt.step(grads);
    expect(a.dataSync()[0]).toBeCloseTo(0.9, 6);
    expect(frozen.dataSync()[0]).toBe(1);
    expect(absent.dataSync()[0]).toBe(1);
    expect(grads[a.name].isDisposed).toBe(false);
    expect(Object.keys(opt.stateDict().state)).toEqual(['0']);
    tf.dispose(grads);
    opt.dispose();
    tf.dispose([a, frozen, absent]);
  });

  test('a bad gradient is reported before any parameter moves', () => {
    const a = tf.variable(tf.tensor1d([1, 1]));
    const b = tf.variable(tf.tensor1d([1, 1]));
    const opt = new SGD([a, b], { lr: 0.1 });
    const grads = { [a.name]: tf.ones([2]), [b.name]: tf.ones([3]) };
    expect(() => opt.step(grads)).toThrow(
      `grads["${b.name}"]: expected shape [2] like its parameter, found a float32 tensor of shape [3]`,
    );
    expect(Array.from(a.dataSync())).toEqual([1, 1]);
    expect(opt.stepCount).toBe(0);
    expect(() => opt.step(null as never)).toThrow('grads: expected a map of variable name to gradient');
    tf.dispose([grads, a, b]);
  });

  for (const [name, make] of makers) {
    test(`${name} leaks nothing over 100 steps and dispose() frees its state`, () => {
      const p = problem();
      const before = tf.memory().numTensors;
      const opt = make([p.w, p.b]);
      p.step(opt, 0);
      const afterFirst = tf.memory().numTensors;
      for (let t = 1; t <= 100; t++) p.step(opt, t, [50]);
      expect(tf.memory().numTensors).toBe(afterFirst);
      const sd = opt.stateDict();
      tf.dispose(Object.values(sd.state).flatMap((e) => Object.values(e)));
      expect(tf.memory().numTensors).toBe(afterFirst);
      opt.dispose();
      // Allow for the one tensor tf.variableGrads caches on its first call.
      expect(tf.memory().numTensors - before).toBeLessThanOrEqual(1);
      p.dispose();
    });
  }
});

describe('stateDict / loadStateDict', () => {
  for (const [name, make] of makers) {
    test(`${name}: resuming from a saved state (through JSON) continues exactly as the unbroken run`, async () => {
      const skipB = [2, 6];
      const straight = problem();
      const a = make([straight.w, straight.b]);
      for (let t = 0; t < 10; t++) straight.step(a, t, skipB);

      const first = problem();
      const b = make([first.w, first.b]);
      for (let t = 0; t < 5; t++) first.step(b, t, skipB);
      const sd = b.stateDict();
      const json = JSON.parse(JSON.stringify(await stateDictToJSON(sd)));
      tf.dispose(Object.values(sd.state).flatMap((e) => Object.values(e)));
      const saved = first.values();
      b.dispose();
      first.dispose();

      // A fresh process: new variables with the saved values, a new optimizer with other settings.
      const second = problem(5);
      second.w.assign(tf.tensor2d(saved.slice(0, 4), [2, 2]));
      second.b.assign(tf.tensor1d(saved.slice(4)));
      const c = make([second.w, second.b]);
      c.lr = 123;
      const restored = stateDictFromJSON(json);
      c.loadStateDict(restored);
      tf.dispose(Object.values(restored.state).flatMap((e) => Object.values(e)));
      expect(c.stepCount).toBe(5);
      expect(c.lr).toBe(a.lr);
      for (let t = 5; t < 10; t++) second.step(c, t, skipB);

      expect(second.values()).toEqual(straight.values());
      a.dispose();
      c.dispose();
      straight.dispose();
      second.dispose();
    });
  }

  test('has a clear shape: kind, counts, hyperparameters and per-parameter tensors', () => {
    const p = problem();
    const opt = new Adam([p.w, p.b], { lr: 0.01, amsgrad: true });
    p.step(opt, 0);
    p.step(opt, 1, [1]);
    const sd = opt.stateDict();
    expect(sd.optimizer).toBe('Adam');
    expect(sd.step).toBe(2);
    expect(sd.lr).toBe(0.01);
    expect(sd.hyper).toEqual({
      betas: [0.9, 0.999],
      eps: 1e-8,
      weightDecay: 0,
      amsgrad: true,
      maximize: false,
    });
    expect(Object.keys(sd.state)).toEqual(['0', '1']);
    expect(Object.keys(sd.state['0']).sort()).toEqual(['expAvg', 'expAvgSq', 'maxExpAvgSq', 'step']);
    expect(sd.state['0'].step.dataSync()[0]).toBe(2);
    expect(sd.state['1'].step.dataSync()[0]).toBe(1);
    expect(sd.state['0'].expAvg.shape).toEqual([2, 2]);
    // The tensors are clones: another step does not change them.
    const m = Array.from(sd.state['0'].expAvg.dataSync());
    p.step(opt, 2);
    expect(Array.from(sd.state['0'].expAvg.dataSync())).toEqual(m);
    tf.dispose(Object.values(sd.state).flatMap((e) => Object.values(e)));
    opt.dispose();
    p.dispose();
  });

  test('names what does not fit and changes nothing', () => {
    const p = problem();
    const opt = new SGD([p.w, p.b], { lr: 0.1, momentum: 0.9 });
    p.step(opt, 0);
    const sd = opt.stateDict();
    const other = new SGD([p.b, p.w], { lr: 0.2, momentum: 0.5 });
    expect(() => other.loadStateDict(sd)).toThrow(
      `stateDict.state["0"].momentumBuffer: expected shape [2] of parameter 0 ("${p.b.name}"), found a float32 tensor of shape [2, 2]`,
    );
    expect(other.lr).toBe(0.2);
    expect(other.momentum).toBe(0.5);
    const adam = new Adam([p.w, p.b]);
    expect(() => adam.loadStateDict(sd)).toThrow('stateDict.optimizer: expected "Adam", found "SGD"');
    const one = new SGD([p.w], { lr: 0.1 });
    expect(() => one.loadStateDict(sd)).toThrow(
      'stateDict.state: expected keys 0 to 0 (one per parameter), found "1"',
    );
    const renamed = {
      ...sd,
      state: { '0': { step: sd.state['0'].step, velocity: sd.state['0'].momentumBuffer } },
    };
    expect(() => opt.loadStateDict(renamed)).toThrow(
      'stateDict.state["0"].velocity: expected a SGD buffer (momentumBuffer)',
    );
    expect(() => opt.loadStateDict({ ...sd, hyper: { ...sd.hyper, momentum: -1 } })).toThrow(
      'stateDict.hyper.momentum',
    );
    tf.dispose(Object.values(sd.state).flatMap((e) => Object.values(e)));
    for (const o of [opt, other, adam, one]) o.dispose();
    p.dispose();
  });
});

import { memory, tf } from '@descent/tensor';
import { describe, expect, test } from 'vitest';
import { Adam, AdamW, RMSprop, SGD, StepLR, stateDictFromJSON, stateDictToJSON } from './index';

const vars = () => tf.tidy(() => [tf.variable(tf.ones([2])), tf.variable(tf.ones([3]))]);

describe('parameter groups', () => {
  test('each group takes its own options over the defaults', () => {
    const [a, b] = vars();
    const opt = new SGD([{ params: [a], lr: 0.5, momentum: 0.9 }, { params: [b] }], {
      lr: 0.1,
      weightDecay: 0.01,
    });
    expect(opt.params).toEqual([a, b]);
    expect(opt.paramGroups.map((g) => g.lr)).toEqual([0.5, 0.1]);
    expect(opt.paramGroups.map((g) => g.hyper.momentum)).toEqual([0.9, 0]);
    expect(opt.paramGroups.map((g) => g.hyper.weightDecay)).toEqual([0.01, 0.01]);
    opt.step({ [a.name]: tf.ones([2]), [b.name]: tf.ones([3]) });
    // a: 1 - 0.5 (1 + 0.01), b: 1 - 0.1 (1 + 0.01)
    expect(a.dataSync()[0]).toBeCloseTo(0.495, 6);
    expect(b.dataSync()[0]).toBeCloseTo(0.899, 6);
    opt.lr = 0.2;
    expect(opt.paramGroups.map((g) => g.lr)).toEqual([0.2, 0.2]);
    tf.disposeVariables();
  });

  test('rejects unknown, snake_case and bad group options, naming the group', () => {
    const [a, b] = vars();
    expect(() => new Adam([{ params: [a], weight_decay: 0.1 } as never, { params: [b] }])).toThrow(
      'Adam: params[0]: options: expected keys among "params", "lr", "betas", "eps", "weightDecay", "amsgrad", "maximize", found unknown option "weight_decay" (did you mean "weightDecay"?)',
    );
    expect(() => new AdamW([{ params: [a] }, { params: [b], eps: -1 }])).toThrow(
      'params[1].eps: expected a finite number >= 0, found -1',
    );
    expect(() => new AdamW([{ params: [a], foo: 1 } as never])).toThrow('AdamW: params[0]: options');
    expect(() => new SGD([{ params: [a] }, { params: [b], lr: 0.1 }], {} as never)).toThrow(
      'params[0].lr: expected a learning rate (SGD has no default)',
    );
    expect(() => new RMSprop([{ params: [a] }, { params: [a] }])).toThrow(
      'params[1]: expected each parameter once',
    );
    expect(() => new SGD([{ params: [a] }, a] as never, { lr: 0.1 })).toThrow(
      'params[1]: expected a parameter group { params, ...options }',
    );
    tf.disposeVariables();
  });

  test('the state dict records every group and loads back through JSON', async () => {
    const before = memory().numTensors;
    const [a, b] = vars();
    const make = () =>
      new Adam(
        [
          { params: [a], lr: 0.01 },
          { params: [b], betas: [0.5, 0.9] },
        ],
        { lr: 0.1 },
      );
    const opt = make();
    new StepLR(opt, { stepSize: 1, gamma: 0.5 }).step();
    const grads = { [a.name]: tf.ones([2]), [b.name]: tf.ones([3]) };
    opt.step(grads);
    tf.dispose(grads);
    const sd = opt.stateDict();
    expect(sd.groups?.map((g) => g.lr)).toEqual([0.005, 0.05]);
    const json = JSON.parse(JSON.stringify(await stateDictToJSON(sd)));
    const other = make();
    const back = stateDictFromJSON(json);
    other.loadStateDict(back);
    expect(other.paramGroups.map((g) => g.lr)).toEqual([0.005, 0.05]);
    expect(other.paramGroups[1].hyper.betas).toEqual([0.5, 0.9]);
    const single = new Adam([a, b]);
    expect(() => single.loadStateDict(back)).toThrow('stateDict.groups: expected 1 parameter groups');
    tf.dispose([sd.state, back.state] as never);
    for (const o of [opt, other, single]) o.dispose();
    tf.dispose([a, b]);
    expect(memory().numTensors).toBe(before);
  });
});

import { describe, expect, it } from 'vitest';
import { Linear } from './linear';
import { mlp } from './mlp';
import { Sigmoid } from './sigmoid';
import { Softplus } from './softplus';

const weights = (m: ReturnType<typeof mlp>) => m.parameters().map((p) => Array.from(p.variable.dataSync()));

describe('mlp', () => {
  it("builds the course's 1-2-1 softplus network with 7 parameters", () => {
    const net = mlp({ inputs: 1, hidden: [2], outputs: 1, activation: 'softplus', seed: 5 });
    expect(net.layers.map((l) => l.constructor)).toEqual([Linear, Softplus, Linear]);
    expect(net.numParameters()).toBe(7);
    net.dispose();
  });

  it('seeds layer i with seed * 1000 + i, adds a sigmoid output, and leaves hidden layers linear on none', () => {
    const a = mlp({ inputs: 3, hidden: [4], outputs: 1, seed: 2, sigmoidOutput: true });
    const twin = [new Linear(3, 4, { seed: 2000 }), new Linear(4, 1, { seed: 2001 })];
    expect(weights(a)).toEqual(
      twin.flatMap((l) => l.parameters().map((p) => Array.from(p.variable.dataSync()))),
    );
    expect(a.at(a.length - 1)).toBeInstanceOf(Sigmoid);
    const linear = mlp({ inputs: 3, hidden: [4, 4], outputs: 1, activation: 'none' });
    expect(linear.layers.every((l) => l instanceof Linear)).toBe(true);
    for (const m of [a, linear, ...twin]) m.dispose();
  });

  it('refuses an unknown activation', () => {
    expect(() => mlp({ inputs: 1, hidden: [1], outputs: 1, activation: 'gelu' as 'relu' })).toThrow(
      /mlp: activation: expected one of relu, sigmoid, tanh, softplus, leaky-relu, none, found "gelu"/,
    );
  });
});

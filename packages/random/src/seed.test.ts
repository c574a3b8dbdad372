import { describe, expect, it } from 'vitest';
import { checkSeed, mixSeed } from './index';

describe('mixSeed', () => {
  it('is deterministic, order-sensitive and spreads nearby parts apart', () => {
    expect(mixSeed(1, 2)).toBe(mixSeed(1, 2));
    expect(mixSeed(1, 2)).not.toBe(mixSeed(2, 1));
    expect(mixSeed(1)).not.toBe(mixSeed(1, 0));
    const seen = new Set<number>();
    for (let e = 0; e < 1000; e++) seen.add(mixSeed(7, e));
    expect(seen.size).toBe(1000);
    expect(mixSeed(2 ** 32)).not.toBe(mixSeed(0));
    for (const s of seen) expect(Number.isInteger(s) && s >= 0 && s < 2 ** 32).toBe(true);
  });

  it('keeps the values the epoch shuffles and replicas were seeded with', () => {
    // Printed by @descent/datasets' mixSeed before it moved here: Learner's per-epoch shuffle
    // seeds and the data-parallel replicas' seeds come from this function.
    expect([mixSeed(0), mixSeed(1, 2), mixSeed(3, 2), mixSeed(2 ** 40 + 1, 7)]).toEqual([
      4223564731, 2091845209, 4125400537, 2858270722,
    ]);
  });

  it('names the part that is not an integer', () => {
    expect(() => mixSeed(1, 0.5)).toThrow(/parts\[1\]: expected an integer seed, found 0.5/);
  });
});

describe('checkSeed', () => {
  it('passes safe integers and names the argument otherwise', () => {
    expect(checkSeed('seed', -3)).toBe(-3);
    expect(() => checkSeed('options.seed', 2 ** 60)).toThrow(/options.seed: expected an integer seed/);
    expect(() => checkSeed('seed', '1')).toThrow('seed: expected an integer seed, found "1"');
  });
});

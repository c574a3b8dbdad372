import { describe, expect, it } from 'vitest';
import { spiral } from './spiral';
import { classCounts } from './testing';

describe('spiral', () => {
  it('splits n over the arms and picks the task from the arm count', () => {
    const d = spiral({ n: 301 });
    expect(classCounts(d.y)).toEqual(
      new Map([
        [0, 101],
        [1, 100],
        [2, 100],
      ]),
    );
    expect(d.task).toBe('multiclass');
    expect(d.classes).toEqual(['0', '1', '2']);
    expect(spiral({ classes: 2 }).task).toBe('binary');
    expect(spiral({ n: 40, classes: 5 }).classes).toHaveLength(5);
  });

  it('places noiseless arm j at radius r and angle 4j + 4r (CS231n)', () => {
    const d = spiral({ n: 30, classes: 3, noise: 0, shuffle: false });
    for (let i = 0; i < 30; i++) {
      const j = Math.floor(i / 10);
      const r = (i % 10) / 9;
      const t = 4 * j + 4 * r;
      expect(d.y[i]).toBe(j);
      expect(d.X.data[2 * i]).toBeCloseTo(r * Math.sin(t), 6);
      expect(d.X.data[2 * i + 1]).toBeCloseTo(r * Math.cos(t), 6);
    }
  });

  it('puts the noise on the angle only, so radii stay evenly spaced', () => {
    const d = spiral({ n: 300, noise: 0.2, seed: 1, shuffle: false });
    const clean = spiral({ n: 300, noise: 0, shuffle: false });
    let moved = 0;
    for (let i = 0; i < 300; i++) {
      const r = Math.hypot(d.X.data[2 * i], d.X.data[2 * i + 1]);
      expect(r).toBeCloseTo(Math.hypot(clean.X.data[2 * i], clean.X.data[2 * i + 1]), 5);
      if (Math.abs(d.X.data[2 * i] - clean.X.data[2 * i]) > 1e-3) moved++;
    }
    expect(moved).toBeGreaterThan(250);
  });

  it('is reproducible and names bad arguments', () => {
    expect(spiral({ seed: 2 })).toEqual(spiral({ seed: 2 }));
    expect(spiral({ seed: 2 }).X.data).not.toEqual(spiral({ seed: 3 }).X.data);
    expect(() => spiral({ classes: 1 })).toThrow(/classes: expected an integer >= 2, found 1/);
    expect(() => spiral({ n: 2, classes: 3 })).toThrow(/n: expected an integer >= 3, found 2/);
  });
});

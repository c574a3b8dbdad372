import { Dropout, fromConfig, Linear, Sequential } from '@descent/layers';
import { mixSeed } from '@descent/random';
import { describe, expect, it } from 'vitest';
import { reseedDropout } from './reseed-dropout';

describe('reseedDropout', () => {
  it('mixes the replica into every seeded Dropout, nested ones too, and leaves the rest alone', () => {
    const inner = new Sequential([new Dropout({ p: 0.2, seed: 7 }), new Dropout({ p: 0.3 })]);
    const model = new Sequential([new Linear(2, 2, { seed: 1 }), new Dropout({ p: 0.5, seed: 3 }), inner]);
    const config = model.toJSON();
    const before = JSON.stringify(config);
    const out = reseedDropout(config, 2);
    expect(JSON.stringify(config)).toBe(before); // the input is not changed
    const layers = out['layers'] as Record<string, unknown>[];
    expect(layers[0]).toEqual((config['layers'] as unknown[])[0]);
    expect(layers[1]['seed']).toBe(mixSeed(3, 2));
    const nested = layers[2]['layers'] as Record<string, unknown>[];
    expect(nested[0]['seed']).toBe(mixSeed(7, 2));
    expect(nested[1]['seed']).toBeUndefined();
    expect(reseedDropout(config, 3)).not.toEqual(out);
    expect(fromConfig(out)).toBeInstanceOf(Sequential);
    model.dispose();
  });
});

import { describe, expect, it } from 'vitest';
import { Generator, manualSeed, randn, tidy } from './index';

// The generator's own statistics are tested in @descent/random; here, what tensor adds.
describe('randn and rand', () => {
  it('makes tfjs random tensors reproducible through manualSeed', () => {
    manualSeed(3);
    const first = tidy(() => Array.from(randn([4]).dataSync()));
    manualSeed(3);
    const second = tidy(() => Array.from(randn([4]).dataSync()));
    expect(second).toEqual(first);
  });

  it('draws its op seed from the generator it is given', () => {
    const a = tidy(() => Array.from(randn([4], new Generator(5)).dataSync()));
    const b = tidy(() => Array.from(randn([4], 5).dataSync()));
    const c = tidy(() => Array.from(randn([4], 6).dataSync()));
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it('rejects a seed that is not an integer', () => {
    expect(() => new Generator(Number.NaN)).toThrow(/seed: expected an integer seed, found NaN/);
  });
});

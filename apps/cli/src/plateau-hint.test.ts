import { describe, expect, it } from 'vitest';
import { plateauHint } from './plateau-hint';

const y = new Float32Array([0, 1, 0]); // the dosage targets: variance 2/9
const flat = Array.from({ length: 100 }, () => 2 / 9);

describe('plateauHint', () => {
  it('is silent when the loss is not the variance of the targets', () => {
    expect(plateauHint({ optimizer: 'sgd', hidden: [2], losses: [0.5, 0.01], y })).toEqual([]);
  });

  it('after SGD on the 1-2-1 net: Adam, more units and another seed, not more epochs on a flat loss', () => {
    const hint = plateauHint({ optimizer: 'sgd', hidden: [2], losses: flat, y }).join(' ');
    expect(hint).toContain('loss has stopped falling');
    expect(hint).toContain('Try --optimizer adam --lr 0.05, --hidden 4 or another --seed.');
  });

  it('after Adam: never suggests Adam again', () => {
    const hint = plateauHint({ optimizer: 'adam', hidden: [2], losses: flat, y }).join(' ');
    expect(hint).not.toContain('--optimizer');
    expect(hint).toContain('Try --hidden 4 or another --seed.');
  });

  it('suggests more epochs only while the loss is still falling, and no wider net when it is wide', () => {
    const falling = Array.from({ length: 100 }, (_, i) => 2 / 9 + (100 - i) * 0.001);
    const hint = plateauHint({ optimizer: 'rmsprop', hidden: [8, 8], losses: falling, y }).join(' ');
    expect(hint).toContain('Try more --epochs or another --seed.');
    expect(hint).not.toContain('stopped falling');
  });
});

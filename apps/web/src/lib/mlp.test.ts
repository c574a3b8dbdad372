import { describe, expect, it } from 'vitest';
import { parseHidden } from './mlp';
import { linspace } from './read';

describe('parseHidden', () => {
  it('reads widths separated by commas or spaces', () => {
    expect(parseHidden('16, 8')).toEqual([16, 8]);
    expect(parseHidden(' 32 4 ')).toEqual([32, 4]);
    expect(parseHidden('')).toEqual([]);
  });

  it('names the field and the text when a width is not a positive integer', () => {
    expect(() => parseHidden('16, 0')).toThrow(
      'hidden layers: expected widths like "16, 8" (integers 1..512), found "16, 0"',
    );
    expect(() => parseHidden('a')).toThrow('found "a"');
    expect(() => parseHidden('2.5')).toThrow('found "2.5"');
  });
});

describe('linspace', () => {
  it('spans both ends in n evenly spaced values', () => {
    const xs = linspace(-1, 1, 5);
    expect(xs).toEqual([-1, -0.5, 0, 0.5, 1]);
  });
});

import { describe, expect, it } from 'vitest';
import { format, tensor, tidy } from './index';

describe('format', () => {
  it('prints floats with four decimals like PyTorch', () => {
    const out = tidy(() =>
      format(
        tensor([
          [0.1, -1.25],
          [2, 3],
        ]),
      ),
    );
    expect(out).toBe('tensor([[ 0.1000, -1.2500],\n        [ 2.0000,  3.0000]])');
  });

  it('prints whole floats with a trailing dot and names other dtypes', () => {
    expect(tidy(() => format(tensor([1, 2, 3])))).toBe('tensor([1., 2., 3.])');
    expect(tidy(() => format(tensor([1, 2], [2], 'int32')))).toBe('tensor([1, 2], dtype=int32)');
    expect(tidy(() => format(tensor([true, false], [2], 'bool')))).toBe('tensor([ True, False], dtype=bool)');
  });

  it('switches to scientific notation for wide ranges', () => {
    expect(tidy(() => format(tensor([1.5, 4e-6])))).toBe('tensor([1.5000e+00, 4.0000e-06])');
  });

  it('prints a scalar and separates matrices of a 3-d tensor by a blank line', () => {
    expect(tidy(() => format(tensor(0.5)))).toBe('tensor(0.5000)');
    const out = tidy(() => format(tensor([1, 2, 3, 4, 5, 6, 7, 8], [2, 2, 2])));
    expect(out).toBe('tensor([[[1., 2.],\n         [3., 4.]],\n\n        [[5., 6.],\n         [7., 8.]]])');
  });

  it('summarises more than 1000 elements with edge items', () => {
    const out = tidy(() => format(tensor(Array.from({ length: 2000 }, (_, i) => i))));
    expect(out).toBe('tensor([   0.,    1.,    2., ..., 1997., 1998., 1999.])');
  });
});

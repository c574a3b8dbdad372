import { tf } from '@descent/tensor';
import { describe, expect, it } from 'vitest';
import { checkOptions, checkTarget, formatFloat32, position } from './check';

describe('boundary checks', () => {
  it('writes float32 values as their shortest decimal', () => {
    expect(formatFloat32(Math.fround(1.2))).toBe('1.2');
    expect(formatFloat32(Math.fround(-0.1))).toBe('-0.1');
    expect(formatFloat32(3)).toBe('3');
    expect(formatFloat32(Math.fround(1 / 3))).toBe('0.33333334');
    expect(formatFloat32(Number.NaN)).toBe('NaN');
  });

  it('turns a flat offset into a multi-index', () => {
    expect(position([2, 3], 5)).toBe('index [1, 2]');
    expect(position([2, 3, 4], 13)).toBe('index [1, 0, 1]');
    expect(position([], 0)).toBe('the only element');
  });

  it('refuses options that are not an object', () => {
    expect(() => checkOptions('mse', 'sum', ['reduction'])).toThrow(
      'mse: options: expected an object, found "sum"',
    );
    expect(checkOptions('mse', undefined, ['reduction'])).toEqual({});
  });

  it('refuses string and disposed targets', () => {
    const s = tf.tensor(['a']);
    expect(() => checkTarget('mse', s)).toThrow(
      'mse: target: expected dtype float32, int32 or bool, found dtype string',
    );
    s.dispose();
    expect(() => checkTarget('mse', s)).toThrow(
      'mse: target: expected a live tensor, found a disposed tensor',
    );
  });
});

import { describe, expect, it } from 'vitest';
import { checkOptions } from './check-options';

describe('checkOptions', () => {
  it('returns the options, or an empty object for undefined', () => {
    expect(checkOptions('Adam', { lr: 0.1 }, ['lr', 'betas'])).toEqual({ lr: 0.1 });
    expect(checkOptions('Adam', undefined, ['lr'])).toEqual({});
  });

  it('names the owner, the accepted keys and the unknown one', () => {
    expect(() => checkOptions('Conv2d', { dilations: 2 }, ['stride', 'dilation'])).toThrow(
      'Conv2d: options: expected keys among "stride", "dilation", found unknown option "dilations"',
    );
  });

  it('suggests the camelCase name for a PyTorch snake_case spelling', () => {
    expect(() => checkOptions('BatchNorm2d', { track_running_stats: false }, ['trackRunningStats'])).toThrow(
      'found unknown option "track_running_stats" (did you mean "trackRunningStats"?)',
    );
  });

  it('refuses a non-object', () => {
    expect(() => checkOptions('Dropout', 0.2, ['p'])).toThrow('Dropout: options: expected an object');
    expect(() => checkOptions('Dropout', [1], ['p'])).toThrow('found [1]');
    expect(() => checkOptions('Dropout', null, ['p'])).toThrow('found null');
  });
});

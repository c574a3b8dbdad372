import { argumentError, checkOptions } from '@descent/tensor';
import type { ModuleConfig } from './module';

/**
 * A layer's options given PyTorch's way, its first option positional (`new Dropout(0.2)`, the
 * others in an object after it), or as one object (`new Dropout({ p: 0.2 })`). Unknown keys are
 * rejected by name; the constructor then checks the values.
 */
export function layerOptions<T extends object>(
  owner: string,
  positional: string,
  first: unknown,
  rest: unknown,
  known: readonly string[],
): T {
  if (first === undefined || (typeof first === 'object' && first !== null && !Array.isArray(first))) {
    if (rest !== undefined) throw argumentError(`${owner}: options`, 'nothing after an options object', rest);
    return checkOptions<T>(owner, first, known);
  }
  const others = checkOptions<T>(
    owner,
    rest,
    known.filter((key) => key !== positional),
  );
  return { ...others, [positional]: first } as T;
}

/**
 * The options in a `toJSON()` config (everything but `type`), checked against the keys the type
 * records: a config with a misspelt or foreign key is refused rather than half-read.
 */
export function configOptions(config: ModuleConfig, known: readonly string[]): Record<string, unknown> {
  const { type, ...options } = config;
  return checkOptions<Record<string, unknown>>(`fromConfig: ${type} config`, options, known);
}

import { argumentError, ScalerArgumentError } from './errors';

/**
 * Checks an options bag: an object (or undefined) holding only known keys. A scikit-learn
 * spelling such as `with_mean` is named with its descent spelling in the message.
 */
export function readOptions(
  owner: string,
  options: unknown,
  known: readonly string[],
): Record<string, unknown> {
  if (options === undefined) return {};
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw argumentError(`${owner}: options`, `an object with ${known.join(', ')}`, options);
  }
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      const camel = key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
      const hint = known.includes(camel) ? ` (did you mean "${camel}"?)` : '';
      throw new ScalerArgumentError(
        `${owner}: options: expected only ${known.join(', ')}, found unknown option "${key}"${hint}`,
      );
    }
  }
  return options as Record<string, unknown>;
}

export function booleanOption(
  owner: string,
  options: Record<string, unknown>,
  name: string,
  fallback: boolean,
) {
  const v = options[name];
  if (v === undefined) return fallback;
  if (typeof v !== 'boolean') throw argumentError(`${owner}: ${name}`, 'a boolean', v);
  return v;
}

/** A `[low, high]` pair of finite numbers, e.g. featureRange or quantileRange. */
export function pairOption(
  owner: string,
  options: Record<string, unknown>,
  name: string,
  fallback: readonly [number, number],
): [number, number] {
  const v = options[name];
  if (v === undefined) return [fallback[0], fallback[1]];
  if (!Array.isArray(v) || v.length !== 2 || !v.every((x) => typeof x === 'number' && Number.isFinite(x))) {
    throw argumentError(`${owner}: ${name}`, 'a pair [low, high] of finite numbers', v);
  }
  return [v[0], v[1]];
}

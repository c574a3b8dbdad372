import { DescentArgumentError, describe } from './errors';

/**
 * Checks an options bag: undefined, or a plain object holding only `known` keys. A typo is an
 * error rather than a silently ignored setting, and a PyTorch snake_case spelling
 * (`weight_decay`, `track_running_stats`) is answered with its camelCase name.
 */
export function checkOptions<T extends object>(owner: string, options: unknown, known: readonly string[]): T {
  if (options === undefined) return {} as T;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new DescentArgumentError(
      `${owner}: options: expected an object with keys among ${list(known)}, found ${describe(options)}`,
    );
  }
  for (const key of Object.keys(options)) {
    if (known.includes(key)) continue;
    const camel = key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
    const hint = camel !== key && known.includes(camel) ? ` (did you mean "${camel}"?)` : '';
    throw new DescentArgumentError(
      `${owner}: options: expected keys among ${list(known)}, found unknown option "${key}"${hint}`,
    );
  }
  return options as T;
}

function list(known: readonly string[]): string {
  return known.length === 0 ? '(none)' : known.map((k) => `"${k}"`).join(', ');
}

import { argumentError } from './errors';

/** How missing values are handled when encoding: drop the row, impute (train mean / mode), or throw. */
export type MissingPolicy = 'drop' | 'mean' | 'error';
/** What a category unseen in fit does at transform: all-zero one-hot (counted), or throw. */
export type UnknownPolicy = 'ignore' | 'error';

/** One input column as fitted: numeric columns pass through, categorical ones become one-hot blocks. */
export type FeatureSpec =
  | { name: string; kind: 'numeric'; mean: number | null }
  | { name: string; kind: 'categorical'; categories: string[]; mode: string | null };

/** A fitted TabularEncoder as plain JSON, e.g. inside a model bundle's model.json. */
export interface TabularEncoderJSON {
  type: 'TabularEncoder';
  version: 1;
  missing: MissingPolicy;
  handleUnknown: UnknownPolicy;
  target: string | null;
  classes: string[] | null;
  features: FeatureSpec[];
}

export const MISSING_POLICIES: readonly MissingPolicy[] = ['drop', 'mean', 'error'];
export const UNKNOWN_POLICIES: readonly UnknownPolicy[] = ['ignore', 'error'];

export function checkPolicy<T extends string>(name: string, value: unknown, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) {
    throw argumentError(name, `one of ${allowed.map((a) => `'${a}'`).join(', ')}`, value);
  }
  return value as T;
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

function checkFeature(value: unknown, i: number): FeatureSpec {
  const f = value as Record<string, unknown>;
  const name = `json.features[${i}]`;
  if (f === null || typeof f !== 'object' || typeof f.name !== 'string') {
    throw argumentError(name, 'a feature { name, kind, ... }', value);
  }
  if (f.kind === 'numeric') {
    if (f.mean !== null && (typeof f.mean !== 'number' || !Number.isFinite(f.mean))) {
      throw argumentError(`${name}.mean`, 'a finite number or null', f.mean);
    }
    return { name: f.name, kind: 'numeric', mean: f.mean as number | null };
  }
  if (f.kind === 'categorical') {
    if (!isStringArray(f.categories) || new Set(f.categories).size !== f.categories.length) {
      throw argumentError(`${name}.categories`, 'an array of distinct strings', f.categories);
    }
    if (f.mode !== null && !(typeof f.mode === 'string' && f.categories.includes(f.mode))) {
      throw argumentError(`${name}.mode`, 'one of its categories or null', f.mode);
    }
    return {
      name: f.name,
      kind: 'categorical',
      categories: [...f.categories],
      mode: f.mode as string | null,
    };
  }
  throw argumentError(`${name}.kind`, "'numeric' or 'categorical'", f.kind);
}

/** Validates TabularEncoder JSON (from toJSON, possibly after a round trip through a file). */
export function checkEncoderJSON(json: unknown): TabularEncoderJSON {
  const j = json as Record<string, unknown>;
  if (j === null || typeof j !== 'object' || j.type !== 'TabularEncoder') {
    throw argumentError('json', "an object from TabularEncoder.toJSON() (type: 'TabularEncoder')", json);
  }
  if (j.version !== 1) throw argumentError('json.version', '1', j.version);
  const missing = checkPolicy('json.missing', j.missing, MISSING_POLICIES);
  const handleUnknown = checkPolicy('json.handleUnknown', j.handleUnknown, UNKNOWN_POLICIES);
  if (j.target !== null && typeof j.target !== 'string')
    throw argumentError('json.target', 'a string or null', j.target);
  if (j.target === null ? j.classes !== null : !isStringArray(j.classes) || j.classes.length < 2) {
    throw argumentError(
      'json.classes',
      j.target === null ? 'null (no target)' : 'an array of 2 or more class names',
      j.classes,
    );
  }
  if (!Array.isArray(j.features) || j.features.length === 0) {
    throw argumentError('json.features', 'a non-empty array of features', j.features);
  }
  const features = j.features.map(checkFeature);
  const names = new Set(features.map((f) => f.name));
  if (names.size !== features.length || (j.target !== null && names.has(j.target as string))) {
    throw argumentError(
      'json.features',
      'distinct names other than the target',
      features.map((f) => f.name),
    );
  }
  return {
    type: 'TabularEncoder',
    version: 1,
    missing,
    handleUnknown,
    target: j.target as string | null,
    classes: j.classes === null ? null : [...(j.classes as string[])],
    features,
  };
}

/** Output column names: a numeric feature keeps its name, a categorical one gives `name_category`. */
export function outputNames(features: FeatureSpec[]): string[] {
  return features.flatMap((f) =>
    f.kind === 'numeric' ? [f.name] : f.categories.map((c) => `${f.name}_${c}`),
  );
}

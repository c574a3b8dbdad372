import { argumentError } from './errors';

/**
 * A float64 as JSON can hold it exactly: a finite number as itself, and the values JSON has no
 * literal for as strings. `-0` is kept as a string too, since `JSON.stringify(-0)` gives "0".
 */
export type JsonNumber = number | 'NaN' | 'Infinity' | '-Infinity' | '-0';

export function encodeNumber(v: number): JsonNumber {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return 'Infinity';
  if (v === -Infinity) return '-Infinity';
  if (Object.is(v, -0)) return '-0';
  return v;
}

const SPECIAL: Record<string, number> = {
  NaN: Number.NaN,
  Infinity: Infinity,
  '-Infinity': -Infinity,
  '-0': -0,
};

export function decodeNumber(v: unknown, where: string): number {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v in SPECIAL) return SPECIAL[v];
  throw argumentError(where, 'a number or one of "NaN", "Infinity", "-Infinity", "-0"', v);
}

export function encodeArray(a: Float64Array): JsonNumber[];
export function encodeArray(a: Float64Array | null): JsonNumber[] | null;
export function encodeArray(a: Float64Array | null): JsonNumber[] | null {
  return a === null ? null : Array.from(a, encodeNumber);
}

export function decodeArray(v: unknown, where: string, length: number): Float64Array {
  if (!Array.isArray(v) || v.length !== length) {
    throw argumentError(where, `an array of ${length} numbers`, v);
  }
  return Float64Array.from(v, (x, i) => decodeNumber(x, `${where}[${i}]`));
}

/** Reads `{ type, version, options, state }` and checks the type tag, for every scaler's fromJSON. */
export function readEnvelope(
  json: unknown,
  type: string,
): { options: unknown; state: Record<string, unknown> | null } {
  const where = `${type}.fromJSON: json`;
  const value = typeof json === 'string' ? parseJson(json, where) : json;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw argumentError(where, `an object from ${type}.toJSON()`, value);
  }
  const o = value as Record<string, unknown>;
  if (o.type !== type) throw argumentError(`${where}.type`, JSON.stringify(type), o.type);
  if (o.version !== 1) throw argumentError(`${where}.version`, '1', o.version);
  const state = o.state;
  if (state !== null && (typeof state !== 'object' || Array.isArray(state))) {
    throw argumentError(`${where}.state`, 'null (not fitted) or an object', state);
  }
  return { options: o.options, state: state as Record<string, unknown> | null };
}

function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw argumentError(where, 'an object or a JSON string', text);
  }
}

/** A positive integer field of a serialised state. */
export function decodeCount(v: unknown, where: string): number {
  if (!Number.isSafeInteger(v) || (v as number) < 0) throw argumentError(where, 'a non-negative integer', v);
  return v as number;
}

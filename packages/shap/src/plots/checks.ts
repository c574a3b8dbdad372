import { argumentError } from '../errors.js';
import { Explanation, type ExplanationInit } from '../explanation.js';

/** Accepts an Explanation, or its JSON form (e.g. sent from a worker), with at least one row. */
export function toExplanation(e: Explanation | ExplanationInit): Explanation {
  let out: Explanation;
  if (e instanceof Explanation) out = e;
  else if (e && typeof e === 'object' && Array.isArray((e as ExplanationInit).values))
    out = new Explanation(e);
  else throw argumentError('explanation', 'an Explanation (or its JSON form)', e);
  if (out.rows === 0) throw argumentError('explanation', 'at least one row', '0 rows');
  return out;
}

export function checkMaxDisplay(v: unknown): number {
  if (v === undefined) return 10;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1)
    throw argumentError('maxDisplay', 'a positive integer', v);
  return v;
}

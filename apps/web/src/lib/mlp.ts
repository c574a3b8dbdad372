// The network builder is @descent/layers' `mlp`; the page only parses its "hidden layers" field.
export { type ActivationName, activationNames } from '@descent/layers';

/** "16, 8" → [16, 8]; throws naming the field for anything else. */
export function parseHidden(text: string): number[] {
  const parts = text.split(/[\s,]+/).filter(Boolean);
  const sizes = parts.map(Number);
  if (sizes.some((s) => !Number.isInteger(s) || s < 1 || s > 512)) {
    throw new Error(`hidden layers: expected widths like "16, 8" (integers 1..512), found "${text}"`);
  }
  return sizes;
}

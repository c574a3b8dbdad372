import { argumentError } from './errors.js';

/** How model outputs map to the space where SHAP values add up: `logit` turns probabilities into log-odds. */
export type LinkName = 'identity' | 'logit';

export interface Link {
  name: LinkName;
  f(p: number): number;
  inverse(z: number): number;
}

const identity: Link = { name: 'identity', f: (p) => p, inverse: (z) => z };

const logit: Link = {
  name: 'logit',
  f: (p) => {
    if (!(p > 0 && p < 1)) {
      throw argumentError(
        'link "logit"',
        'model outputs (averaged over the background) strictly inside (0, 1)',
        p,
      );
    }
    return Math.log(p / (1 - p));
  },
  inverse: (z) => 1 / (1 + Math.exp(-z)),
};

export function toLink(name: unknown): Link {
  if (name === undefined || name === 'identity') return identity;
  if (name === 'logit') return logit;
  throw argumentError('link', '"identity" or "logit"', name);
}

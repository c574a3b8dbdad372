import {
  ExactExplainer,
  type Explainer,
  type ExplainerOptions,
  KernelExplainer,
  type Matrix,
  type Model,
  PermutationExplainer,
} from '@descent/shap';
import { UsageError } from '../usage-error';

export const methodNames = ['exact', 'kernel', 'permutation'] as const;
export type MethodName = (typeof methodNames)[number];

/** ExactExplainer's own limit: 2^16 coalitions per row is about as far as it is worth going. */
export const EXACT_MAX_FEATURES = 16;

/**
 * The chosen explainer. `nsamples` is the kernel's coalitions per row, or the permutation
 * explainer's model-evaluation budget per row (shap's max_evals); 'auto' keeps shap's defaults.
 */
export function makeExplainer(
  method: MethodName,
  model: Model,
  background: Matrix,
  options: ExplainerOptions,
  nsamples: number | 'auto',
  playerWord = 'input columns',
): Explainer {
  const players = options.groups?.length ?? background.cols;
  if (method === 'exact') {
    if (players > EXACT_MAX_FEATURES) {
      throw new UsageError(
        `--method exact: expected at most ${EXACT_MAX_FEATURES} ${playerWord} (it evaluates all 2^M coalitions), found M = ${players}; use --method kernel or --method permutation`,
      );
    }
    if (nsamples !== 'auto')
      throw new UsageError('--nsamples: not used by --method exact (it evaluates every coalition)');
    return new ExactExplainer(model, background, { ...options, maxFeatures: EXACT_MAX_FEATURES });
  }
  if (method === 'kernel') return new KernelExplainer(model, background, { ...options, nsamples });
  return new PermutationExplainer(
    model,
    background,
    nsamples === 'auto' ? options : { ...options, maxEvals: nsamples },
  );
}

/** What the method did, in words, for the report. */
export function describeMethod(method: MethodName, nsamples: number | 'auto', players: number): string {
  if (method === 'exact')
    return `exact Shapley values over all 2^${players} = ${2 ** players} coalitions per row`;
  if (method === 'kernel') {
    const cap = players <= 30 ? 2 ** players - 2 : Number.POSITIVE_INFINITY;
    const requested = nsamples === 'auto' ? 2 * players + 2048 : nsamples;
    const used = Math.min(requested, cap);
    const all = used === cap ? ', every coalition' : '';
    return `KernelSHAP with up to ${used} coalitions per row (${nsamples === 'auto' ? 'auto: 2M + 2048, at most 2^M − 2' : 'nsamples'}${all})`;
  }
  const budget = nsamples === 'auto' ? 500 : nsamples;
  const perms = Math.max(1, Math.floor(budget / (2 * players + 1)));
  return `permutation SHAP with ${perms} antithetic permutation${perms === 1 ? '' : 's'} per row (budget ${budget} model evaluations)`;
}

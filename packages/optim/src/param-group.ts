import { argumentError, checkOptions } from '@descent/tensor';
import type { OptimParam } from './param';

/** An optimizer's hyperparameters other than `lr`, as plain JSON values. */
export type Hyperparameters = Record<string, number | boolean | number[]>;

/**
 * One of PyTorch's parameter groups as given to a constructor: its parameters, and any option of
 * the optimizer that this group sets differently from the defaults (the constructor's options).
 */
export type ParamGroupSpec<Options = Record<string, unknown>> = {
  params: readonly OptimParam[];
} & Partial<Options>;

/** What an optimizer is built from: a list of parameters, or a list of parameter groups. */
export type Params<Options = Record<string, unknown>> =
  | readonly OptimParam[]
  | readonly ParamGroupSpec<Options>[];

/** A group as the optimizer holds it: its parameters, its own rate and hyperparameters. */
export interface ParamGroup {
  readonly params: readonly OptimParam[];
  lr: number;
  hyper: Hyperparameters;
  /** The rate before any schedule: set by the first schedule made on the optimizer. */
  initialLr?: number;
}

/** Checks a group's hyperparameters (filling defaults), naming keys after `prefix`. */
export type HyperCheck = (h: Record<string, unknown>, prefix: string) => Hyperparameters;

const isGroupSpec = (value: unknown): value is ParamGroupSpec =>
  value != null && typeof value === 'object' && !('variable' in value) && 'params' in value;

/**
 * Splits `params` into groups, PyTorch's way: a plain list is one group with the constructor's
 * options; a list of `{ params, ...options }` gives each group those options over the defaults.
 */
export function makeGroups(
  owner: string,
  params: Params,
  defaults: { lr?: number } & Record<string, unknown>,
  keys: readonly string[],
  check: HyperCheck,
): ParamGroup[] {
  const { lr, ...rest } = defaults;
  const base = check(rest, 'options.');
  const rate = (value: number | undefined, name: string) => {
    if (value === undefined) throw argumentError(name, `a learning rate (${owner} has no default)`, value);
    return value;
  };
  if (!Array.isArray(params) || !params.some(isGroupSpec)) {
    return [{ params: params as readonly OptimParam[], lr: rate(lr, 'options.lr'), hyper: base }];
  }
  return params.map((spec, i) => {
    const name = `params[${i}]`;
    if (!isGroupSpec(spec)) throw argumentError(name, 'a parameter group { params, ...options }', spec);
    const own = checkOptions<ParamGroupSpec>(`${owner}: ${name}`, spec, ['params', ...keys]);
    const { params: groupParams, lr: groupLr, ...groupHyper } = own as ParamGroupSpec & { lr?: number };
    if (!Array.isArray(groupParams))
      throw argumentError(`${name}.params`, 'an array of parameters', groupParams);
    return {
      params: groupParams,
      lr: rate(groupLr ?? lr, `${name}.lr`),
      hyper: check({ ...base, ...groupHyper }, `${name}.`),
    };
  });
}

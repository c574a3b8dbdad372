import { argumentError, type Variable } from '@descent/tensor';
import { mismatch } from './validate';

/**
 * What an optimizer updates: a tf.Variable, or anything holding one as `variable` (the shape of
 * @descent/layers' Parameter, declared here structurally so this package does not depend on it).
 */
export type OptimParam = Variable | { variable: Variable };

function isVariable(value: unknown): value is Variable {
  return (
    value != null &&
    typeof value === 'object' &&
    typeof (value as Variable).assign === 'function' &&
    typeof (value as Variable).name === 'string' &&
    Array.isArray((value as Variable).shape)
  );
}

/** The variable behind a parameter; read anew at each step in case a module swapped it. */
export function variableOf(param: OptimParam, index: number): Variable {
  if (isVariable(param)) return param;
  const inner = (param as { variable?: unknown } | null)?.variable;
  if (isVariable(inner)) return inner;
  throw argumentError(`params[${index}]`, 'a tf.Variable or an object with a `variable: tf.Variable`', param);
}

/** Checks the list an optimizer is built from: non-empty, float variables, each only once. */
export function checkParams(params: readonly OptimParam[]): void {
  if (!Array.isArray(params)) throw argumentError('params', 'an array of parameters', params);
  if (params.length === 0) throw mismatch('params', 'at least one parameter', 'an empty list');
  const seen = new Map<Variable, number>();
  params.forEach((param, i) => {
    const v = variableOf(param, i);
    if (v.dtype !== 'float32')
      throw argumentError(`params[${i}] ("${v.name}")`, 'a float32 variable', v.dtype);
    const first = seen.get(v);
    if (first !== undefined) {
      throw mismatch(
        `params[${i}]`,
        'each parameter once',
        `variable "${v.name}" again (first at params[${first}])`,
      );
    }
    seen.set(v, i);
  });
}

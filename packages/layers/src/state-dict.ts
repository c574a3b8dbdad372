import { checkOptions, DescentArgumentError, describe, tf } from '@descent/tensor';
import { ModuleBuffer } from './module-buffer';
import type { Parameter } from './parameter';

/** Options of `loadStateDict`. */
export interface LoadStateDictOptions {
  /** Fail on missing or unexpected keys (default true). Shape mismatches fail regardless. */
  strict?: boolean;
}

/** The keys `loadStateDict` found missing from the dict, and those it did not expect. */
export interface LoadStateDictResult {
  missingKeys: string[];
  unexpectedKeys: string[];
}

const shapeText = (shape: number[]) => `[${shape.join(', ')}]`;

/**
 * Validates the whole dict first so that a failed load leaves the model untouched. `named` holds
 * parameters and persistent buffers; each value is cast to its target's dtype (float32 for
 * parameters, int32 for an integer buffer such as BatchNorm's batch count).
 */
export function loadStateDict(
  named: [string, Parameter | ModuleBuffer][],
  dict: Record<string, tf.Tensor>,
  options: LoadStateDictOptions = {},
): LoadStateDictResult {
  const { strict = true } = checkOptions<LoadStateDictOptions>('loadStateDict', options, ['strict']);
  if (dict === null || typeof dict !== 'object' || Array.isArray(dict)) {
    throw new DescentArgumentError(
      `loadStateDict: dict: expected an object of tensors, found ${describe(dict)}`,
    );
  }
  const entries = withPyTorchNames(named, dict);
  const params = new Map(named);
  const missingKeys = named.map(([name]) => name).filter((name) => !(name in entries));
  const unexpectedKeys = Object.keys(entries).filter((key) => !params.has(key));
  const problems: string[] = [];
  if (strict && missingKeys.length > 0) problems.push(`missing keys: ${missingKeys.join(', ')}`);
  if (strict && unexpectedKeys.length > 0) problems.push(`unexpected keys: ${unexpectedKeys.join(', ')}`);
  for (const [name, p] of named) {
    const value = entries[name];
    if (value === undefined) continue;
    if (!(value instanceof tf.Tensor) || value.isDisposed) {
      problems.push(
        `${name}: expected a tensor, found ${value instanceof tf.Tensor ? 'a disposed tensor' : describe(value)}`,
      );
    } else if (!tf.util.arraysEqual(value.shape, p.variable.shape)) {
      problems.push(
        `${name}: expected shape ${shapeText(p.variable.shape)}, found ${shapeText(value.shape)}`,
      );
    } else if (value.dtype !== 'float32' && value.dtype !== 'int32') {
      problems.push(`${name}: expected a ${p.variable.dtype} tensor, found a ${value.dtype} tensor`);
    }
  }
  if (problems.length > 0) throw new DescentArgumentError(`loadStateDict: ${problems.join('; ')}`);

  for (const [name, p] of named) {
    const value = entries[name];
    if (value === undefined || value === p.variable) continue;
    // assign() takes a reference on the data, so the caller may dispose the dict afterwards.
    if (value.dtype === p.variable.dtype) p.variable.assign(value);
    else tf.tidy(() => p.variable.assign(tf.cast(value, p.variable.dtype)));
  }
  return { missingKeys, unexpectedKeys };
}

const snakeCase = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/**
 * Bundles saved before buffers took PyTorch's names hold `1.runningMean` where the model now
 * expects `1.running_mean`: such a key is read under its snake_case name when that is a buffer
 * the dict does not already hold. Parameters never had camelCase names, so they are left alone.
 */
function withPyTorchNames(
  named: [string, Parameter | ModuleBuffer][],
  dict: Record<string, tf.Tensor>,
): Record<string, tf.Tensor> {
  const buffers = new Set(named.filter(([, v]) => v instanceof ModuleBuffer).map(([name]) => name));
  let renamed: Record<string, tf.Tensor> | undefined;
  for (const key of Object.keys(dict)) {
    if (buffers.has(key)) continue;
    const dot = key.lastIndexOf('.') + 1;
    const pytorch = key.slice(0, dot) + snakeCase(key.slice(dot));
    if (pytorch === key || !buffers.has(pytorch) || pytorch in dict) continue;
    renamed ??= { ...dict };
    renamed[pytorch] = renamed[key];
    delete renamed[key];
  }
  return renamed ?? dict;
}

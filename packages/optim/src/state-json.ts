import { argumentError, tf } from '@descent/tensor';
import type { Hyperparameters, OptimizerStateDict } from './optimizer';

/** A tensor as plain data. */
export interface TensorJSON {
  shape: number[];
  data: number[];
}

/** `OptimizerStateDict` with its tensors as arrays, for `JSON.stringify`. */
export interface OptimizerStateJSON {
  optimizer: string;
  step: number;
  lr: number;
  hyper: Hyperparameters;
  groups?: { lr: number; hyper: Hyperparameters }[];
  state: Record<string, Record<string, TensorJSON>>;
}

/** Reads the state tensors (float32 values survive the trip through JSON numbers exactly). */
export async function stateDictToJSON(sd: OptimizerStateDict): Promise<OptimizerStateJSON> {
  const state: Record<string, Record<string, TensorJSON>> = {};
  for (const [key, entry] of Object.entries(sd.state)) {
    state[key] = {};
    for (const [name, t] of Object.entries(entry)) {
      state[key][name] = { shape: [...t.shape], data: Array.from(await t.data()) as number[] };
    }
  }
  const json: OptimizerStateJSON = {
    optimizer: sd.optimizer,
    step: sd.step,
    lr: sd.lr,
    hyper: structuredClone(sd.hyper),
    state,
  };
  if (sd.groups) json.groups = structuredClone(sd.groups);
  return json;
}

/** Makes tensors again; the caller disposes them (for example after `loadStateDict`). */
export function stateDictFromJSON(json: OptimizerStateJSON): OptimizerStateDict {
  if (json == null || typeof json !== 'object' || json.state == null || typeof json.state !== 'object') {
    throw argumentError('json', 'an optimizer state written by stateDictToJSON', json);
  }
  const state: OptimizerStateDict['state'] = {};
  try {
    for (const [key, entry] of Object.entries(json.state)) {
      state[key] = {};
      for (const [name, t] of Object.entries(entry)) {
        const label = `json.state["${key}"].${name}`;
        if (!Array.isArray(t?.shape) || !Array.isArray(t?.data))
          throw argumentError(label, '{ shape, data }', t);
        const size = t.shape.reduce((a, b) => a * b, 1);
        if (t.data.length !== size)
          throw argumentError(label, `${size} values for shape [${t.shape.join(', ')}]`, t.data.length);
        state[key][name] = tf.tensor(t.data, t.shape, 'float32');
      }
    }
  } catch (err) {
    for (const entry of Object.values(state)) for (const t of Object.values(entry)) t.dispose();
    throw err;
  }
  const sd: OptimizerStateDict = {
    optimizer: json.optimizer,
    step: json.step,
    lr: json.lr,
    hyper: structuredClone(json.hyper),
    state,
  };
  if (json.groups) sd.groups = structuredClone(json.groups);
  return sd;
}

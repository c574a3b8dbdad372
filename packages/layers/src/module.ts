import { argumentError, tf } from '@descent/tensor';
import { ModuleBuffer } from './module-buffer';
import { Parameter } from './parameter';
import { type LoadStateDictOptions, type LoadStateDictResult, loadStateDict } from './state-dict';
import { summary } from './summary';

/** A module's architecture as plain JSON: `{ type: 'Linear', inFeatures: 1, outFeatures: 2, bias: true }`. */
export interface ModuleConfig {
  type: string;
  [option: string]: unknown;
}

/** Runs before `forward` with the module and its input; a returned tensor replaces the input. */
export type ForwardPreHook = (module: Module, input: tf.Tensor) => tf.Tensor | undefined;

/** Runs after `forward` with the module, its input and output; a returned tensor replaces the output. */
export type ForwardHook = (module: Module, input: tf.Tensor, output: tf.Tensor) => tf.Tensor | undefined;

/** What `registerForwardHook` returns: `remove()` unregisters that hook (again is a no-op). */
export interface RemovableHandle {
  /** Unregisters the hook; calling it again does nothing. */
  remove(): void;
}

interface Hooks {
  pre: Map<RemovableHandle, ForwardPreHook>;
  post: Map<RemovableHandle, ForwardHook>;
}

// Kept beside the modules rather than in their fields, so that hooks are never children,
// parameters, state-dict entries or config: they belong to this session, not to the model.
const hooksOf = new WeakMap<Module, Hooks>();
// How many hooks are registered on any module, so that the compile step's check costs nothing
// in the usual case of none (a WeakMap cannot be counted).
let liveHooks = 0;

/** Whether a forward hook or pre-hook is registered on `module` itself (not its children). */
export function hasForwardHooks(module: Module): boolean {
  return liveHooks > 0 && hooksOf.has(module);
}

/** Whether any forward hook or pre-hook is registered on any module at all. */
export function anyForwardHooks(): boolean {
  return liveHooks > 0;
}

function addHook<K extends keyof Hooks>(
  module: Module,
  kind: K,
  hook: unknown,
  where: string,
): RemovableHandle {
  if (typeof hook !== 'function') throw argumentError(`${where}: hook`, 'a function', hook);
  let hooks = hooksOf.get(module);
  if (!hooks) {
    hooks = { pre: new Map(), post: new Map() };
    hooksOf.set(module, hooks);
  }
  const own = hooks;
  const handle: RemovableHandle = {
    remove() {
      if (own[kind].delete(handle)) liveHooks--;
      if (own.pre.size === 0 && own.post.size === 0 && hooksOf.get(module) === own) hooksOf.delete(module);
    },
  };
  (own[kind] as Map<RemovableHandle, unknown>).set(handle, hook);
  liveHooks++;
  return handle;
}

/**
 * The base of every layer and model, like PyTorch's nn.Module. Children, parameters and buffers
 * are found in the instance's own fields, in declaration order: a Module field is a child named
 * after the field, a Parameter field is a parameter, a ModuleBuffer field is a buffer (state such
 * as running statistics, saved but never trained), an array of Modules gives children `field.0`,
 * `field.1` (Sequential names its layers `0`, `1`, ... as PyTorch does).
 */
export abstract class Module {
  /** Training mode (Dropout drops, BatchNorm updates its statistics); `eval()` clears it. */
  training = true;

  /** The module's computation. Containers run their children through `call`, so hooks fire. */
  abstract forward(x: tf.Tensor): tf.Tensor;

  /**
   * Runs the module as PyTorch's `module(x)` does: the forward pre-hooks, `forward`, then the
   * forward hooks, each in the order registered. Without hooks it is `forward(x)`.
   */
  call(x: tf.Tensor): tf.Tensor {
    const hooks = hooksOf.get(this);
    if (!hooks) return this.forward(x);
    let input = x;
    for (const hook of [...hooks.pre.values()]) input = hook(this, input) ?? input;
    let output = this.forward(input);
    for (const hook of [...hooks.post.values()]) output = hook(this, input, output) ?? output;
    return output;
  }

  /**
   * `hook(module, input)` runs before every `call`'s forward; returning a tensor replaces the input.
   * Like PyTorch's register_forward_pre_hook; the handle's `remove()` unregisters it.
   */
  registerForwardPreHook(hook: ForwardPreHook): RemovableHandle {
    return addHook(this, 'pre', hook, 'registerForwardPreHook');
  }

  /**
   * `hook(module, input, output)` runs after every `call`'s forward; returning a tensor replaces
   * the output. Like PyTorch's register_forward_hook (e.g. to record feature maps); the handle's
   * `remove()` unregisters it. Hooks are not part of the model: never saved, copied or configured.
   */
  registerForwardHook(hook: ForwardHook): RemovableHandle {
    return addHook(this, 'post', hook, 'registerForwardHook');
  }

  /** Sets training mode on this module and every descendant. */
  train(mode = true): this {
    if (typeof mode !== 'boolean') throw argumentError('mode', 'a boolean', mode);
    for (const m of this.modules()) m.training = mode;
    return this;
  }

  /** Sets evaluation mode (`train(false)`) on this module and every descendant. */
  eval(): this {
    return this.train(false);
  }

  /** The direct children with their names. */
  namedChildren(): [string, Module][] {
    const out: [string, Module][] = [];
    for (const [key, value] of Object.entries(this)) {
      if (value instanceof Module) out.push([key, value]);
      else if (Array.isArray(value)) {
        value.forEach((item, i) => {
          if (item instanceof Module) out.push([`${key}.${i}`, item]);
        });
      }
    }
    return out;
  }

  /** The direct child modules, without their names. */
  children(): Module[] {
    return this.namedChildren().map(([, m]) => m);
  }

  /** This module (named '') and all its descendants, depth first, each once. */
  namedModules(): [string, Module][] {
    const out: [string, Module][] = [];
    const seen = new Set<Module>();
    const visit = (prefix: string, m: Module) => {
      if (seen.has(m)) return;
      seen.add(m);
      out.push([prefix, m]);
      for (const [name, child] of m.namedChildren()) visit(prefix ? `${prefix}.${name}` : name, child);
    };
    visit('', this);
    return out;
  }

  /** This module and all its descendants, depth first, each once, without their names. */
  modules(): Module[] {
    return this.namedModules().map(([, m]) => m);
  }

  /**
   * Every parameter, frozen ones included, with PyTorch's dotted names (`0.weight`); a shared one
   * once. `recurse: false` gives only those held in this module's own fields.
   */
  namedParameters(options: { recurse?: boolean } = {}): [string, Parameter][] {
    return this.namedState((v): v is Parameter => v instanceof Parameter, options.recurse);
  }

  /** Every parameter, frozen ones included, each once (what an optimiser is given). */
  parameters(): Parameter[] {
    return this.namedParameters().map(([, p]) => p);
  }

  /** The parameters that are not frozen, i.e. those an optimiser updates. */
  trainableParameters(): Parameter[] {
    return this.parameters().filter((p) => p.trainable);
  }

  /**
   * Every buffer (non-persistent ones included) with dotted names (`0.running_mean`); a shared one
   * once. `recurse: false` gives only those held in this module's own fields.
   */
  namedBuffers(options: { recurse?: boolean } = {}): [string, ModuleBuffer][] {
    return this.namedState((v): v is ModuleBuffer => v instanceof ModuleBuffer, options.recurse);
  }

  /** Every buffer (running statistics and the like), each once, without their names. */
  buffers(): ModuleBuffer[] {
    return this.namedBuffers().map(([, b]) => b);
  }

  /** Fields matching `accept`, module by module in namedModules() order, each object once. */
  private namedState<T extends object>(accept: (v: unknown) => v is T, recurse = true): [string, T][] {
    // A buffer may carry PyTorch's name for itself (BatchNorm's `running_mean`), used in place of the field's.
    const own = (m: Module) =>
      Object.entries(m)
        .filter((e): e is [string, T] => accept(e[1]))
        .map(([key, value]): [string, T] => [
          value instanceof ModuleBuffer && value.name !== undefined ? value.name : key,
          value,
        ]);
    if (!recurse) return own(this);
    const out: [string, T][] = [];
    const seen = new Set<T>();
    for (const [prefix, m] of this.namedModules()) {
      for (const [name, value] of own(m)) {
        if (seen.has(value)) continue;
        seen.add(value);
        out.push([prefix ? `${prefix}.${name}` : name, value]);
      }
    }
    return out;
  }

  /** What the state dict holds, in PyTorch's order: per module its parameters, then its persistent buffers. */
  private namedStateEntries(): [string, Parameter | ModuleBuffer][] {
    const out: [string, Parameter | ModuleBuffer][] = [];
    const seen = new Set<Parameter | ModuleBuffer>();
    for (const [prefix, m] of this.namedModules()) {
      const own = [...m.namedParameters({ recurse: false }), ...m.namedBuffers({ recurse: false })];
      for (const [name, value] of own) {
        if (seen.has(value) || (value instanceof ModuleBuffer && !value.persistent)) continue;
        seen.add(value);
        out.push([prefix ? `${prefix}.${name}` : name, value]);
      }
    }
    return out;
  }

  /** Stops optimisers updating any parameter of this module (transfer learning). */
  freeze(): this {
    for (const p of this.parameters()) p.trainable = false;
    return this;
  }

  /** Lets optimisers update every parameter of this module again; undoes `freeze()`. */
  unfreeze(): this {
    for (const p of this.parameters()) p.trainable = true;
    return this;
  }

  /** The number of parameter values (scalars), each shared parameter once; `trainableOnly` skips frozen ones. */
  numParameters(options: { trainableOnly?: boolean } = {}): number {
    const params = options.trainableOnly ? this.trainableParameters() : this.parameters();
    return params.reduce((n, p) => n + p.size, 0);
  }

  /**
   * A copy of every parameter and persistent buffer by name (`0.weight`, `1.running_mean`), each
   * module's parameters before its buffers as in PyTorch; the caller disposes the tensors.
   */
  stateDict(): Record<string, tf.Tensor> {
    const dict: Record<string, tf.Tensor> = {};
    for (const [name, p] of this.namedStateEntries()) dict[name] = tf.clone(p.variable);
    return dict;
  }

  /**
   * Copies `dict` into the existing variables. Everything is checked before anything is written:
   * shape mismatches always fail; missing and unexpected keys fail unless `strict` is false. A
   * buffer saved under its older camelCase name (`runningMean`, before buffers took PyTorch's
   * names) is read as `running_mean`, so old bundles still load.
   */
  loadStateDict(dict: Record<string, tf.Tensor>, options: LoadStateDictOptions = {}): LoadStateDictResult {
    return loadStateDict(this.namedStateEntries(), dict, options);
  }

  /** A text table of the layers, their output shapes (with `inputShape`, one sample's) and parameters. */
  summary(inputShape?: number[]): string {
    return summary(this, inputShape);
  }

  /** The architecture as JSON for `fromConfig`; subclasses with options override this. */
  toJSON(): ModuleConfig {
    return { type: this.constructor.name };
  }

  /** Frees every parameter's and buffer's memory; the module is unusable afterwards. */
  dispose(): void {
    for (const p of this.parameters()) p.dispose();
    for (const b of this.buffers()) b.dispose();
  }
}

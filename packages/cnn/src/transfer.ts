import { Module, Sequential } from '@descent/layers';
import { argumentError, DescentArgumentError } from '@descent/tensor';
import { checkSequential } from './layer-walk';

/**
 * Splits a Sequential into its first layers (the body, a feature extractor) and its last `n`
 * (the head, the classifier). Both share the layers (and so the weights) of `model`.
 */
export function cutHead(model: Sequential, n = 1): { body: Sequential; head: Sequential } {
  checkSequential('cutHead: model', model);
  if (!Number.isInteger(n) || n < 1 || n >= model.length) {
    throw argumentError(
      `cutHead: n (the model has ${model.length} layers)`,
      `an integer in [1, ${model.length - 1}]`,
      n,
    );
  }
  const cut = model.length - n;
  return { body: new Sequential(model.layers.slice(0, cut)), head: new Sequential(model.layers.slice(cut)) };
}

const layersOf = (m: Module) => (m instanceof Sequential ? m.layers : [m]);

/**
 * body then head as one flat Sequential, so the body's layers keep their indices and state-dict
 * keys ('0.weight', ...): a checkpoint of the original model loads into it with { strict: false }.
 * Freeze the body first (body.freeze()) to train only the head.
 */
export function attachHead(body: Module, head: Module): Sequential {
  if (!(body instanceof Module)) throw argumentError('attachHead: body', 'a Module', body);
  if (!(head instanceof Module)) throw argumentError('attachHead: head', 'a Module', head);
  return new Sequential([...layersOf(body), ...layersOf(head)]);
}

/** Options of `replaceHead`: how many final layers it has and whether to free them. */
export interface ReplaceHeadOptions {
  /** How many final layers make the old head (default 1, the output Linear). */
  n?: number;
  /** Free the old head's weights (default true); pass false to keep using them. */
  dispose?: boolean;
}

/**
 * Transfer learning's usual move (PyTorch: `model.fc = nn.Linear(...)`): the same body with
 * `newHead` in place of the last `n` layers. The result shares the body's layers with `model`.
 */
export function replaceHead(
  model: Sequential,
  newHead: Module,
  options: ReplaceHeadOptions = {},
): Sequential {
  const { n = 1, dispose = true } = options;
  if (!(newHead instanceof Module)) throw argumentError('replaceHead: newHead', 'a Module', newHead);
  if (typeof dispose !== 'boolean') throw argumentError('replaceHead: dispose', 'a boolean', dispose);
  const { body, head } = cutHead(model, n);
  if (head.modules().includes(newHead) || layersOf(newHead).some((m) => body.modules().includes(m))) {
    throw new DescentArgumentError(
      'replaceHead: newHead: expected new layers, found layers of the model itself',
    );
  }
  if (dispose) {
    // A layer used in both parts (unusual, but allowed) stays alive for the body.
    const kept = new Set<unknown>([...body.parameters(), ...body.buffers()]);
    for (const p of [...head.parameters(), ...head.buffers()]) if (!kept.has(p)) p.dispose();
  }
  return attachHead(body, newHead);
}

import { format, tf } from '@descent/tensor';
import { h } from '../ui/dom';
import { panel } from './page';

interface Example {
  name: string;
  what: string;
  make: () => tf.Tensor;
}

/**
 * The course's "our data are tensors" slide, with real tensors: rank, shape and size are what
 * tfjs reports, and each is printed as PyTorch would print it. The tensors are made from host
 * arrays and only printed, so even WebGPU reads them without touching the GPU.
 */
export function tensorRanks(image: number[][]): HTMLElement {
  const examples: Example[] = [
    { name: 'scalar', what: 'one prediction', make: () => tf.scalar(0.5) },
    { name: 'vector', what: 'the three dosages', make: () => tf.tensor1d([0, 0.5, 1]) },
    { name: 'matrix', what: 'the 5×5 grey image below', make: () => tf.tensor2d(image) },
    {
      name: 'rank-3 tensor',
      what: 'the same image in colour: one 5×5 matrix per channel (R, G, B), 3× the inputs',
      make: () => tf.tensor3d([image, image.map((row) => row.map((v) => 1 - v)), image]),
    },
  ];
  const cards = examples.map((example) => {
    const t = example.make();
    try {
      return h(
        'figure',
        { class: 'rank-card', attrs: { 'data-testid': `rank-${t.rank}` } },
        h('figcaption', {}, h('strong', { text: `Rank ${t.rank}: ${example.name}` }), ` — ${example.what}`),
        h('p', {
          class: 'note',
          text: `shape [${t.shape.join(', ')}], ${t.size} number${t.size === 1 ? '' : 's'}`,
        }),
        h('pre', { class: 'tensor-print', text: format(t) }),
      );
    } finally {
      t.dispose();
    }
  });
  return panel(
    'Our data are tensors',
    h('p', {
      class: 'note',
      text: 'Like NumPy arrays, but made for GPUs. The rank is the number of axes; the shape says how long each axis is.',
    }),
    h('div', { class: 'rank-grid' }, cards),
  );
}

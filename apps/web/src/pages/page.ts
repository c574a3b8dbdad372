import { h } from '../ui/dom';

export interface PageContext {
  root: HTMLElement;
  /** The running tfjs backend's name. */
  backend: string;
}

/** Stops the page's work and frees its tensors; the router awaits it before leaving. */
export type Unmount = () => void | Promise<void>;

export interface PageModule {
  mount(ctx: PageContext): Unmount | Promise<Unmount>;
}

export function pageHeader(n: number, title: string, ...intro: (string | Node)[]): HTMLElement {
  return h(
    'header',
    { class: 'page-header' },
    h('h1', {}, h('span', { class: 'page-number', text: `${n}` }), title),
    intro.map((p) => (typeof p === 'string' ? h('p', { class: 'intro', text: p }) : p)),
  );
}

export function panel(title: string, ...children: (Node | string | null)[]): HTMLElement {
  return h('section', { class: 'panel', attrs: { 'aria-label': title } }, h('h2', { text: title }), children);
}

/**
 * Pages that train through @descent/train's Learner read each batch's loss back synchronously.
 * WebGPU has no synchronous read: tfjs imitates one through a canvas, which is slow and on some
 * drivers (SwiftShader among them) returns zeros. Say so up front, with a one-click way out.
 */
export function syncReadNotice(backend: string): Node {
  if (backend !== 'webgpu') return document.createComment('no WebGPU notice');
  const toWebgl = h('button', { text: 'Switch to WebGL', attrs: { type: 'button' } });
  toWebgl.addEventListener('click', () => {
    const select = document.getElementById('backend-select') as HTMLSelectElement | null;
    if (!select) return;
    select.value = 'webgl';
    select.dispatchEvent(new Event('change'));
  });
  return h(
    'div',
    { class: 'notice notice-warning', role: 'status', attrs: { 'data-testid': 'webgpu-sync-notice' } },
    h(
      'span',
      { class: 'notice-text' },
      'This page trains with the Learner, which reads every batch’s loss back synchronously. WebGPU has no ',
      'synchronous read: tfjs imitates one through a canvas, which is slow, and on some GPU drivers returns ',
      'zeros (a loss of 0 is the sign). WebGL gives the same numbers reliably.',
    ),
    toWebgl,
  );
}

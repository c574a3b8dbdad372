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

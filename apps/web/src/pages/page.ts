import { h } from '../ui/dom';
import type { PageController } from '../ui/page-controller';

export interface PageContext {
  root: HTMLElement;
  /** The running tfjs backend's name. */
  backend: string;
  /**
   * The page's life: its Start bars' trainers and what it frees when left (`onLeave`). The
   * router leaves it, which stops every run before the teardowns and counts the tensors.
   */
  page: PageController;
}

/** A page: its layout, wired to its recipe and to the controller. */
export interface PageModule {
  mount(ctx: PageContext): void | Promise<void>;
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

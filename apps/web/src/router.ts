import { tf } from '@descent/tensor';
import type { Unmount } from './pages/page';
import { type PageEntry, pages } from './pages/registry';
import { h } from './ui/dom';
import { clearPageNotices, showError } from './ui/notices';

export interface RouterState {
  page: string;
  /** Live tensors when the page was entered, and after it was left. */
  tensorsAtEnter: number;
  lastLeave?: { page: string; before: number; after: number };
}

/** Hash routing (#/descent): works from any static file server without rewrites. */
export class Router {
  private unmount: Unmount | null = null;
  private current: PageEntry | null = null;
  private navigation: Promise<void> = Promise.resolve();
  readonly state: RouterState = { page: 'home', tensorsAtEnter: 0 };

  constructor(
    private readonly root: HTMLElement,
    private readonly backend: () => string,
  ) {}

  route(): string {
    return location.hash.replace(/^#\/?/, '').split('?')[0] || 'home';
  }

  /** Shows the page the hash names; serialised so a fast second click waits for the first. */
  show(): Promise<void> {
    this.navigation = this.navigation.then(() => this.render(this.route()));
    return this.navigation;
  }

  /** Leaves the current page (stopping its training and freeing its tensors). */
  async leave(): Promise<void> {
    const done = this.unmount;
    const page = this.current;
    this.unmount = null;
    this.current = null;
    if (page) clearPageNotices(page.id);
    // Until the next page mounts, notices (a backend switch's) belong to no page.
    this.root.dataset.page = '';
    if (done) {
      try {
        await done();
      } catch (error) {
        showError(error, 'leaving the page');
      }
    }
    if (page) {
      const after = tf.memory().numTensors;
      this.state.lastLeave = { page: page.id, before: this.state.tensorsAtEnter, after };
      if (after !== this.state.tensorsAtEnter) {
        console.warn(`${page.id}: ${after - this.state.tensorsAtEnter} tensors were not freed`);
      }
    }
  }

  /** Runs `change` with no page mounted (a backend switch), then mounts the page again. */
  remount(change: () => Promise<void>): Promise<void> {
    this.navigation = this.navigation.then(async () => {
      await this.leave();
      await change();
      await this.render(this.route());
    });
    return this.navigation;
  }

  private async render(id: string): Promise<void> {
    await this.leave();
    this.root.replaceChildren();
    this.state.page = id;
    this.state.tensorsAtEnter = tf.memory().numTensors;
    for (const link of document.querySelectorAll<HTMLAnchorElement>('#nav a')) {
      if (link.dataset.page === id) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    }
    const entry = pages.find((p) => p.id === id);
    if (!entry) {
      document.title = 'descent: deep learning you can watch';
      this.root.appendChild(home(id));
      this.root.dataset.page = 'home';
      this.root.dataset.ready = 'true';
      return;
    }
    document.title = `${entry.n}. ${entry.title} · descent`;
    this.root.dataset.page = entry.id;
    this.root.dataset.ready = 'false';
    const container = h('div', { class: `page page-${entry.id}` });
    this.root.appendChild(container);
    try {
      const module = await entry.load();
      this.current = entry;
      this.unmount = await module.mount({ root: container, backend: this.backend() });
    } catch (error) {
      showError(error, `${entry.title}: the page failed to start`);
    }
    this.root.dataset.ready = 'true';
  }
}

function home(id: string): HTMLElement {
  return h(
    'div',
    { class: 'home' },
    id !== 'home' ? h('p', { class: 'notice notice-warning', text: `There is no page “${id}”.` }) : null,
    h('h1', { text: 'Deep learning you can watch' }),
    h(
      'p',
      { class: 'intro' },
      'Each demo below is one idea of the course, running live in your browser on the descent packages ',
      '(tensors on WebGPU, WebGL, WASM or the CPU). Every one has Start, Pause, Reset and a seed: ',
      'the same seed gives the same run.',
    ),
    h(
      'ol',
      { class: 'cards' },
      pages.map((p) =>
        h(
          'li',
          {},
          h(
            'a',
            { class: 'card', attrs: { href: `#/${p.id}` } },
            h('span', { class: 'card-n', text: String(p.n) }),
            h('strong', { text: p.title }),
            h('span', { text: p.blurb }),
          ),
        ),
      ),
    ),
  );
}

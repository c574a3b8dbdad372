import './code-links.css';
import { h } from '../ui/dom';
import { sourceHref, sourcesOf } from './glossary-recipe';

/** A page's "Code:" line: the files that make it, as links (the router adds it under each page). */
export function codeLinks(page: string): HTMLElement {
  return h(
    'p',
    { class: 'note code-links', attrs: { 'data-testid': 'code-links' } },
    'The code behind this page: ',
    sourcesOf(page).flatMap((path, i) => [
      i > 0 ? ', ' : '',
      h('a', { text: path, attrs: { href: sourceHref(path) } }),
    ]),
    '. ',
    h('a', { text: 'Glossary', attrs: { href: '#/glossary' } }),
    '.',
  );
}

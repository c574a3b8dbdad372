import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { concepts, pageSources, sourceHref, sourcesOf } from './glossary-recipe';
import { pages } from './registry';

const repo = resolve(import.meta.dirname, '../../../..');

describe('the glossary: concept → demo → code', () => {
  it("covers the course's key concepts, each linked to a page that exists", () => {
    expect(concepts.map((c) => c.term)).toEqual([
      'Tensor',
      'Loss',
      'Optimizer',
      'Epoch',
      'Batch size',
      'Backpropagation',
      'Gradient descent',
      'Learning rate',
      'Layers',
      'Activations',
      'Weights and biases',
    ]);
    const ids = new Set(pages.map((p) => p.id));
    for (const c of concepts) expect(ids.has(c.demo), `${c.term} → #/${c.demo}`).toBe(true);
  });

  it('every linked source file exists in the repository', () => {
    const paths = [...concepts.flatMap((c) => c.sources), ...Object.values(pageSources).flat()];
    for (const path of paths) expect(existsSync(resolve(repo, path)), path).toBe(true);
  });

  it('every page links to its code; links are relative from apps/web/ unless a base is given', () => {
    for (const p of pages) expect(sourcesOf(p.id).length, p.id).toBeGreaterThan(0);
    expect(sourcesOf('new-page')).toEqual(['apps/web/src/pages/new-page.ts']);
    expect(sourceHref('packages/optim/src/adam.ts')).toBe('../../packages/optim/src/adam.ts');
    expect(sourceHref('a.ts', 'https://example.org/blob/main/')).toBe('https://example.org/blob/main/a.ts');
  });
});

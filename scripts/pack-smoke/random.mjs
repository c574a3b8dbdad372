import { createRequire } from 'node:module';
import { Generator, manualSeed, mixSeed } from '@descent/random';

// Seed 1's first uniform is the stream descent's weight initialisation has always drawn.
const first = new Generator(1).uniform();
if (first !== 0.6270739405881613) throw new Error(`Generator(1).uniform() gave ${first}`);
const perm = Array.from(new Generator(2).permutation(6)).sort();
if (perm.join() !== '0,1,2,3,4,5') throw new Error(`permutation gave ${perm}`);
if (manualSeed(1).uniform() !== first) throw new Error('manualSeed');
const cjs = createRequire(import.meta.url)('@descent/random');
if (cjs.mixSeed(1, 2) !== mixSeed(1, 2) || new cjs.Generator(1).uniform() !== first) {
  throw new Error('CommonJS build');
}
console.log(`Generator(1).uniform() = ${first}; mixSeed(1, 2) = ${mixSeed(1, 2)}; no dependencies`);

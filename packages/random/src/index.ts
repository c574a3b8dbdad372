export { RandomArgumentError } from './errors';
export { defaultGenerator, Generator, manualSeed, type RandomSource, toGenerator } from './generator';
export { checkSeed, mixSeed } from './seed';

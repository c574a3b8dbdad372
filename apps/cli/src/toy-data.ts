import { blobs, circles, type Dataset, dosage, moons, spiral, trainTestSplit, xor } from '@descent/datasets';

export const toyDatasets = ['dosage', 'moons', 'circles', 'spiral', 'xor', 'blobs'] as const;
export type ToyDatasetName = (typeof toyDatasets)[number];

const make: Record<ToyDatasetName, (seed: number) => Dataset> = {
  dosage: () => dosage(),
  moons: (seed) => moons({ seed }),
  circles: (seed) => circles({ seed }),
  spiral: (seed) => spiral({ seed }),
  xor: (seed) => xor({ seed }),
  blobs: (seed) => blobs({ seed }),
};

/**
 * The toy set by name, with a seeded, stratified 20% test split. The course's three patients are
 * the whole point of the dosage example, so they are never split.
 */
export function loadToyDataset(name: ToyDatasetName, seed: number): { train: Dataset; test?: Dataset } {
  const data = make[name](seed);
  if (name === 'dosage') return { train: data };
  return trainTestSplit(data, { testSize: 0.2, seed });
}

import { createRequire } from 'node:module';
import { dosage, getTestFunction, moons, trainTestSplit } from '@descent/datasets';

const d = dosage();
if (Array.from(d.y).join() !== '0,1,0') throw new Error(`dosage targets ${Array.from(d.y)}`);
const { train, test } = trainTestSplit(moons({ n: 100, seed: 1 }), { testSize: 0.2, seed: 1 });
const rosen = getTestFunction('rosenbrock');
if (rosen.f(1, 1) !== 0) throw new Error('rosenbrock minimum');
const cjs = createRequire(import.meta.url)('@descent/datasets');
if (cjs.dosage().X.rows !== 3) throw new Error('CommonJS build');
console.log(`dosage 3 rows, moons split ${train.X.rows}/${test.X.rows}, no tfjs installed`);

import { createRequire } from 'node:module';
import { MinMaxScaler, StandardScaler } from '@descent/scalers';

const X = [
  [20, 30000],
  [40, 60000],
  [60, 90000],
];
const scaled = new StandardScaler().fit(X).transform(X);
const expected = Math.sqrt(1.5); // (60 - 40) / sqrt(800 / 3)
if (Math.abs(scaled[2][0] - expected) > 1e-12) throw new Error(`StandardScaler gave ${scaled[2][0]}`);
const mm = new MinMaxScaler().fit(X);
if (mm.transform([[40, 60000]])[0].join() !== '0.5,0.5') throw new Error('MinMaxScaler');
const cjs = createRequire(import.meta.url)('@descent/scalers');
if (cjs.StandardScaler.fromJSON(JSON.stringify(new StandardScaler().fit(X).toJSON())).mean[0] !== 40) {
  throw new Error('CommonJS build or JSON round trip');
}
console.log(
  `age/income scaled: ${scaled.map((r) => r.map((v) => v.toFixed(3)).join(' ')).join(' | ')}; no tfjs installed`,
);

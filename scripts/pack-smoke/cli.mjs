import { execFileSync } from 'node:child_process';

const run = (...args) => execFileSync('npx', ['--no-install', 'descent', ...args], { encoding: 'utf8' });
const info = run('info');
if (!/backend\s+wasm/.test(info)) throw new Error(`descent info:\n${info}`);
const out = run('train', '--dataset', 'dosage', '--epochs', '50', '--quiet');
if (!/final\s+loss/.test(out)) throw new Error(`descent train:\n${out}`);
console.log(info.split('\n').find((l) => l.startsWith('backend')));

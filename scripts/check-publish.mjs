// Lints every public package as the registry will see it: publint (package.json against the
// packed files) and @arethetypeswrong/cli (types resolve for every module system the exports
// promise). The CLI is ESM-only on purpose, so it is checked under the esm-only profile.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const dirs = ['packages', 'apps']
  .flatMap((group) => readdirSync(join(root, group)).map((d) => join(root, group, d)))
  .filter((d) => existsSync(join(d, 'package.json')))
  .filter((d) => !JSON.parse(readFileSync(join(d, 'package.json'), 'utf8')).private);

let failures = 0;
for (const dir of dirs) {
  const { name, exports } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const esmOnly = Object.values(exports).every((e) => typeof e === 'string' || !e.require);
  const checks = [
    ['publint', ['--strict']],
    ['attw', ['--pack', '.', '--format', 'ascii', ...(esmOnly ? ['--profile', 'esm-only'] : [])]],
  ];
  for (const [tool, args] of checks) {
    const bin = join(root, 'node_modules', '.bin', tool);
    const run = spawnSync(bin, args, { cwd: dir, encoding: 'utf8' });
    if (run.status === 0) {
      console.log(`ok   ${tool} ${name}`);
    } else {
      failures++;
      console.log(`FAIL ${tool} ${name}\n${(run.stdout + run.stderr).trim()}`);
    }
  }
}
console.log(failures ? `${failures} publish check(s) failed` : 'every package is publish-ready');
process.exit(failures ? 1 : 0);

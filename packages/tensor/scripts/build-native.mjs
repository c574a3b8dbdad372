// Compiles native/*.c (descent-native.c and the files it calls into) into
// native/build/descent-native.node, the addon that runs matrix products and convolutions in oneDNN
// or OpenBLAS (src/kernels/native-kernels.ts). Part of `build`. It needs a C compiler (cc, or $CC)
// and Node-API's headers (the node-api-headers package), not the libraries themselves: the addon
// opens them when it loads. Where oneDNN's headers are installed too (Debian: libdnnl-dev), it
// compiles in oneDNN's convolution primitives; without them, convolutions go by patch matrices. Where it cannot compile, the package still works on its WASM kernels, so
// this prints why and exits 0, unless DESCENT_REQUIRE_NATIVE=1 (set by .ci/run), which makes it
// fail.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// Every C file in native/: a file left out would leave its functions undefined, and Node would
// exit at load ("undefined symbol") rather than throw.
const sources = readdirSync(join(root, 'native'))
  .filter((file) => file.endsWith('.c'))
  .map((file) => join(root, 'native', file));
const target = join(root, 'native', 'build', 'descent-native.node');
const required = process.env.DESCENT_REQUIRE_NATIVE === '1';

function skip(reason) {
  // An addon left from an earlier build would no longer match the sources.
  rmSync(target, { force: true });
  const message = `descent-native: not built: ${reason}; the WASM kernels will run instead`;
  if (required) {
    console.error(`${message} (DESCENT_REQUIRE_NATIVE=1)`);
    process.exit(1);
  }
  console.warn(message);
  process.exit(0);
}

if (process.platform !== 'linux' && process.platform !== 'darwin') skip(`no build for ${process.platform}`);
const cc = process.env.CC || 'cc';
if (spawnSync(cc, ['--version'], { stdio: 'ignore' }).status !== 0) skip(`no C compiler (${cc})`);
const headers = createRequire(import.meta.url)('node-api-headers').include_dir;

mkdirSync(dirname(target), { recursive: true });
const partial = `${target}.${process.pid}.tmp`;
// -O3 (it vectorizes the patch copies and optimizer steps), not -march=native: the addon may run
// on another CPU; oneDNN and OpenBLAS pick their kernels at run time, optimizer-steps.c its clone.
// -std=c11 also keeps GCC from fusing a multiply and an add (the optimizer steps must round as
// the WASM kernels do); -fno-math-errno lets sqrtf vectorize.
const flags = [
  '-O3',
  '-std=c11',
  '-fno-math-errno',
  '-Wall',
  '-Wextra',
  '-Werror',
  '-fPIC',
  '-shared',
  `-I${headers}`,
];
if (process.platform === 'darwin') flags.push('-undefined', 'dynamic_lookup');
const result = spawnSync(cc, [...flags, '-o', partial, ...sources, '-ldl', '-lpthread'], {
  encoding: 'utf8',
});
if (result.status !== 0) {
  rmSync(partial, { force: true });
  skip(`${cc} failed:\n${result.stderr}`);
}
renameSync(partial, target);
console.log(`descent-native: built ${target}`);

import { createReadStream, existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { defineConfig, type Plugin } from 'vite';

const require = createRequire(import.meta.url);
const packageDir = (name: string, from = import.meta.url) =>
  dirname(createRequire(from).resolve(`${name}/package.json`));

/** tfjs-backend-wasm's .wasm binaries, found through @descent/tensor, which depends on it. */
const wasmDir = join(
  packageDir(
    '@tensorflow/tfjs-backend-wasm',
    join(dirname(require.resolve('@descent/tensor/package.json')), 'x'),
  ),
  'dist',
);
/** The pretrained digit backbone that ships with @descent/cnn (config + safetensors). */
const backboneDir = join(packageDir('@descent/cnn'), 'assets');

const mime: Record<string, string> = {
  wasm: 'application/wasm',
  json: 'application/json',
  safetensors: 'application/octet-stream',
};

/**
 * Files that packages fetch at run time rather than import: served under `/${prefix}/` by the dev
 * server and copied there in the build. The app hands these folders to the packages
 * (initBackend's wasmPaths, pretrainedDigitBackbone's source).
 */
function runtimeFiles(prefix: string, dir: string, pattern: RegExp): Plugin {
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => pattern.test(f)) : [];
  return {
    name: `descent-runtime-files-${prefix}`,
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const name = req.url?.split('?')[0].split(`/${prefix}/`)[1];
        if (!name || !files.includes(name)) return next();
        res.setHeader('Content-Type', mime[name.split('.').pop() ?? ''] ?? 'application/octet-stream');
        createReadStream(join(dir, name)).pipe(res);
      });
    },
    generateBundle() {
      for (const name of files) {
        this.emitFile({
          type: 'asset',
          fileName: `${prefix}/${name}`,
          source: readFileSync(join(dir, name)),
        });
      }
    },
  };
}

/**
 * The packages reach Node's zlib, url and fs/promises only through `await import()` on paths a
 * browser never takes (reading the shipped files from disk). These stubs keep the build quiet
 * and would say so plainly if a browser ever got there.
 */
function nodeOnlyStubs(): Plugin {
  const ids = new Set(['zlib', 'url', 'fs/promises', 'node:zlib', 'node:url', 'node:fs/promises']);
  return {
    name: 'descent-node-only-stubs',
    enforce: 'pre',
    resolveId: (id) => (ids.has(id) ? `\0node-only:${id}` : null),
    load(id) {
      if (!id.startsWith('\0node-only:')) return null;
      const name = id.slice('\0node-only:'.length);
      return [
        `const fail = () => { throw new Error('${name} is Node-only: in a browser pass a URL or bytes instead'); };`,
        'export const readFile = fail, access = fail, gunzip = fail, fileURLToPath = fail, pathToFileURL = fail;',
        'export default { readFile, access, gunzip, fileURLToPath, pathToFileURL };',
      ].join('\n');
    },
  };
}

export default defineConfig({
  // Relative asset paths: the build works from any folder of any static host.
  base: './',
  plugins: [
    nodeOnlyStubs(),
    runtimeFiles('tfjs-wasm', wasmDir, /\.wasm$/),
    runtimeFiles('digit-backbone', backboneDir, /^digits-0-4-backbone\.(json|safetensors)$/),
  ],
  resolve: { dedupe: ['@tensorflow/tfjs-core'] },
  build: { target: 'es2022', chunkSizeWarningLimit: 1500, manifest: true },
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
});

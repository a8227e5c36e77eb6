// Bundles the built CLI with esbuild into dist/src/bundle/: a few files to load instead of ~150 modules
// (~50 ms off every start, measured in BENCHMARKS.md). Commands stay lazily loaded chunks.
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = (path) => fileURLToPath(new URL(`../${path}`, import.meta.url));
// At the depth of dist/src/<module>/, so the URLs modules build from import.meta.url (the schema, the
// emulator's seed, package.json, the scan worker next to them) resolve the same bundled or not.
const outdir = root('dist/src/bundle');

rmSync(outdir, { recursive: true, force: true }); // no stale chunks from an earlier build
await build({
  entryPoints: {
    main: root('dist/src/cli/main.js'),
    'scan-worker': root('dist/src/sources/scan-worker.js'),
    'escape-worker': root('dist/src/copernica/escape-worker.js'),
  },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  // CommonJS dependencies (yaml, commander, undici) call require(); an ES module has none of its own.
  banner: {
    js: "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);",
  },
  logLevel: 'warning',
});

// Runs every compiled test file with node:test and ends with the plain `N passed, N failed` line CI reads.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const testDir = join(root, 'dist', 'test');
const filter = process.argv.slice(2);

function findTests(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'fixtures' ? [] : findTests(full);
    return entry.name.endsWith('.test.js') ? [full] : [];
  });
}

const files = findTests(testDir)
  .filter((f) => filter.length === 0 || filter.some((part) => relative(root, f).includes(part)))
  .sort();
if (files.length === 0) {
  console.error('no test files found under dist/test');
  console.log('0 passed, 1 failed');
  process.exit(1);
}
const reporter = join(root, 'test', 'summary-reporter.mjs');
const result = spawnSync(
  process.execPath,
  [
    '--test',
    '--test-concurrency=2',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    `--test-reporter=${reporter}`,
    '--test-reporter-destination=stdout',
    ...files,
  ],
  { stdio: 'inherit', cwd: root, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } },
);
process.exit(result.status ?? 1);

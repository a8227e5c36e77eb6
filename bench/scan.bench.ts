// Cold and warm source scans over a generated CSV tree, against `sha256sum` over the same files (page cache warm).
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateCsvTree } from './generate-data.js';
import { type BenchRow, compareRuns, median, repeat, timeCommand } from './lib.js';

export interface ScanBenchOptions {
  totalBytes: number;
  files: number;
  runs: number;
  workDir: string;
}

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const WARM_GOAL_S = 0.3;
const MEMORY_GOAL_MB = 150;

/** The subject: resolve one import over the tree (mode cold|warm, workers auto|0), like `plan` does. */
const SCAN_SCRIPT = `
import { readFileSync, writeFileSync } from 'node:fs';
const [mode, dir, cacheFile, workers] = process.argv.slice(2);
const sources = await import(${JSON.stringify(join(repoRoot, 'dist', 'src', 'sources', 'index.js'))});
const def = { name: 'bench', database: 1, action: 'update or add', keyFields: ['Email'],
  source: { kind: 'files', globs: ['part-*/*.csv'] }, encoding: 'utf-8', mode: 'combined', removeMissing: false,
  ignoreEmptyFields: false, followups: false, autostart: true, rebuild: false, dependsOn: [],
  safety: { minRows: 1, maxShrink: 0.2, maxDeleteShare: 0.3 }, position: { file: 'imports.yaml', line: 1, column: 1 } };
const cache = mode === 'warm' ? JSON.parse(readFileSync(cacheFile, 'utf8')) : {};
const ctx = { configDir: dir, displayDir: dir, cache, nowMs: Date.now(), allowOutside: false,
  ...(workers === 'auto' ? {} : { workers: Number(workers) }) };
const result = await sources.resolveSources([def], ctx);
const source = result.get('bench');
if (mode === 'record') writeFileSync(cacheFile, JSON.stringify(sources.toHashCacheEntries(result.values(), Date.now())));
const cached = source.files.filter((f) => f.cached).length;
if (source.files.length === 0 || (mode === 'warm' && cached !== source.files.length)) {
  console.error('unexpected scan result', source.files.length, cached, source.diagnostics.slice(0, 3));
  process.exit(1);
}
console.log(source.files.length, source.rows);
`;

export async function runScanBench(options: ScanBenchOptions): Promise<BenchRow[]> {
  const tree = await ensureTree(options);
  const files = listFiles(tree);
  const script = join(options.workDir, 'scan-run.mjs');
  const cacheFile = join(options.workDir, 'scan-cache.json');
  writeFileSync(script, SCAN_SCRIPT);
  const node = process.execPath;
  const scan = (mode: string, workers: string) => timeCommand(node, [script, mode, tree, cacheFile, workers]);
  await timeCommand('cat', files, { cwd: tree }); // warm the page cache for both sides alike
  const baseline = await repeat(options.runs, () => timeCommand('sha256sum', files, { cwd: tree }));
  const cold = await repeat(options.runs, () => scan('cold', 'auto'));
  const oneCore = await repeat(options.runs, () => scan('cold', '0'));
  await waitUntilNotRacy(tree, files);
  await scan('record', 'auto');
  const warm = await repeat(options.runs, () => scan('warm', 'auto'));
  const size = `${(options.totalBytes / 2 ** 30).toFixed(2)} GiB in ${options.files} CSV files`;
  const memoryOk = (rss: number): boolean => rss < MEMORY_GOAL_MB;
  const sha = { label: `sha256sum (${size})`, runs: baseline };
  return [
    compareRuns('scan cold', { label: 'resolveSources, 2 worker threads', runs: cold }, sha, {
      text: `≤ sha256sum, < ${MEMORY_GOAL_MB} MB`,
      met: (ratio, rss) => ratio <= 1 && memoryOk(rss),
    }),
    compareRuns('scan cold, 1 core', { label: 'resolveSources, no workers', runs: oneCore }, sha, {
      text: 'for comparison',
      met: (_ratio, rss) => memoryOk(rss),
    }),
    compareRuns('scan warm', { label: 'resolveSources, all cached', runs: warm }, sha, {
      text: `< ${WARM_GOAL_S} s, < ${MEMORY_GOAL_MB} MB`,
      met: (_ratio, rss) => median(warm.map((r) => r.seconds)) < WARM_GOAL_S && memoryOk(rss),
    }),
  ];
}

export async function ensureTree(
  options: Pick<ScanBenchOptions, 'totalBytes' | 'files' | 'workDir'>,
): Promise<string> {
  const tree = join(options.workDir, `csv-${options.totalBytes}-${options.files}`);
  const marker = join(tree, '.complete');
  if (!existsSync(marker)) {
    await generateCsvTree(tree, { totalBytes: options.totalBytes, files: options.files, seed: 7 });
    writeFileSync(marker, '');
  }
  return tree;
}

export function listFiles(tree: string): string[] {
  return readdirSync(tree, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.csv'))
    .map((f) => f.split('\\').join('/'))
    .sort();
}

/** The cache is only trusted for files whose mtime is 2 s older than the cache write (racy timestamps). */
export async function waitUntilNotRacy(tree: string, files: string[]): Promise<void> {
  const newest = Math.max(...files.map((f) => statSync(join(tree, f)).mtimeMs));
  const wait = newest + 2100 - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
}

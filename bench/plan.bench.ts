// `copernica-sync plan` over a generated tree, cold (no state) and warm (nothing changed), against sha256sum.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type BenchRow, compareRuns, median, repeat, timeCommand } from './lib.js';
import { ensureTree, listFiles, waitUntilNotRacy } from './scan.bench.js';

export interface PlanBenchOptions {
  totalBytes: number;
  files: number;
  runs: number;
  workDir: string;
  repoRoot: string;
  /** Extra rows for the "how cost grows" table: the same tree split over this many imports. */
  imports?: number;
}

const IMPORTS_YAML = (imports: number) => {
  const lines = ['version: 1', 'imports:'];
  for (let i = 0; i < imports; i += 1) {
    // Split the files over the imports by the last digits of their number.
    const digits = String(imports - 1).length;
    const glob = imports === 1 ? 'part-*/*.csv' : `part-*/export-*${String(i).padStart(digits, '0')}.csv`;
    lines.push(`  bench-${i}:`, '    database: 1', '    keyFields: [Email]', `    source: "${glob}"`);
  }
  return `${lines.join('\n')}\n`;
};

export async function runPlanBench(options: PlanBenchOptions): Promise<BenchRow[]> {
  const tree = await ensureTree(options);
  const files = listFiles(tree);
  const imports = options.imports ?? 1;
  const config = join(tree, `imports-${imports}.yaml`);
  const state = join(tree, `.state-${imports}`, 'state.json');
  writeFileSync(config, IMPORTS_YAML(imports));
  const cli = join(options.repoRoot, 'dist', 'src', 'bundle', 'main.js');
  const plan = () =>
    timeCommand(process.execPath, [cli, 'plan', '-c', config, '--state', state], { cwd: tree });
  await timeCommand('cat', files, { cwd: tree }); // page cache warm for both sides alike
  const baseline = await repeat(options.runs, () => timeCommand('sha256sum', files, { cwd: tree }));
  const cold = await repeat(options.runs, async () => {
    rmSync(join(tree, `.state-${imports}`), { recursive: true, force: true });
    return plan();
  });
  await waitUntilNotRacy(tree, files);
  await plan(); // records hashes that are no longer racy
  const warm = await repeat(options.runs, plan);
  const size = `${(options.totalBytes / 2 ** 20).toFixed(0)} MiB in ${files.length} files, ${imports} import(s)`;
  const sha = { label: `sha256sum (${size})`, runs: baseline };
  return [
    compareRuns(`plan cold (${size})`, { label: 'copernica-sync plan, no state', runs: cold }, sha, {
      text: '≤ sha256sum, < 150 MB',
      met: (ratio, rss) => ratio <= 1 && rss < 150,
    }),
    compareRuns(`plan warm (${size})`, { label: 'copernica-sync plan, nothing changed', runs: warm }, sha, {
      text: '< 0.3 s, < 150 MB',
      met: (_ratio, rss) => median(warm.map((r) => r.seconds)) < 0.3 && rss < 150,
    }),
  ];
}

// `npm run bench`: runs every benchmark on generated data and prints the Markdown table BENCHMARKS.md carries.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchRow } from './lib.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const workDir = join(repoRoot, 'bench', '.data');
const only = process.argv.slice(2);
const runs = Number(process.env.BENCH_RUNS ?? 3);

type Bench = { name: string; run: () => Promise<BenchRow[]> };

const GiB = 2 ** 30;
const planBytes = Number(process.env.BENCH_PLAN_BYTES ?? GiB);
const planFiles = Number(process.env.BENCH_PLAN_FILES ?? 2000);
const uploadMb = Number(process.env.BENCH_UPLOAD_MB ?? 500);

const benches: Bench[] = [
  {
    name: 'startup',
    run: async () =>
      (await import('./startup.bench.js')).runStartupBench({ runs: Math.max(runs, 5), repoRoot }),
  },
  {
    name: 'plan',
    run: async () =>
      (await import('./plan.bench.js')).runPlanBench({
        totalBytes: planBytes,
        files: planFiles,
        runs,
        workDir,
        repoRoot,
      }),
  },
  {
    name: 'scan',
    run: async () =>
      (await import('./scan.bench.js')).runScanBench({
        totalBytes: planBytes,
        files: planFiles,
        runs,
        workDir,
      }),
  },
  {
    name: 'upload',
    run: async () => (await import('./upload.bench.js')).runUploadBench({ sizeMb: uploadMb, runs, workDir }),
  },
  {
    name: 'watch',
    run: async () => (await import('./watch.bench.js')).runWatchBench({ runs, workDir }),
  },
  {
    name: 'rows',
    run: async () => (await import('./rows.bench.js')).runRowsBench({ runs, workDir, repoRoot }),
  },
  {
    name: 'growth',
    run: async () => (await import('./growth.bench.js')).runGrowthBench({ runs, workDir, repoRoot }),
  },
];

async function main(): Promise<void> {
  mkdirSync(workDir, { recursive: true });
  const rows: BenchRow[] = [];
  for (const bench of benches) {
    if (only.length > 0 && !only.includes(bench.name)) continue;
    process.stderr.write(`bench: ${bench.name}…\n`);
    rows.push(...(await bench.run()));
  }
  const table = renderTable(rows);
  process.stdout.write(table);
  writeFileSync(join(workDir, 'results.md'), table);
}

function renderTable(rows: BenchRow[]): string {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const head = [
    `Machine: ${cpus().length} × ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${runs} runs each (median, spread = max − min).`,
    '',
    '| benchmark | subject | baseline | subject median | spread | baseline median | ratio | peak RSS | goal | met | note |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  const body = rows.map(
    (r) =>
      `| ${r.name} | ${r.subject} | ${r.baseline} | ${r.subjectMedianS.toFixed(3)} s | ${r.subjectSpreadS.toFixed(3)} s | ${r.baselineMedianS.toFixed(3)} s | ${r.ratio.toFixed(2)}× | ${r.peakRssMb.toFixed(0)} MB | ${r.goal} | ${r.met === undefined ? '—' : r.met ? 'yes' : 'no'} | ${r.note ?? ''} |`,
  );
  return `${[...head, ...body].join('\n')}\n`;
}

await main();

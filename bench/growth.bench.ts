// "How cost grows": plan (cold, warm) and apply time as the data grows 10x and 100x, and as imports multiply.
import { type ChildProcess, spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type BenchRow, median, repeat, timeCommand } from './lib.js';
import { runPlanBench } from './plan.bench.js';
import { ensureTree } from './scan.bench.js';

interface GrowthOptions {
  runs: number;
  workDir: string;
  repoRoot: string;
}

const MiB = 2 ** 20;
/** 1x = 1/100 of the plan benchmark's tree, so the 100x row reuses that 1 GiB tree. */
const BASE = { bytes: 2 ** 30 / 100, files: 20 };

export async function runGrowthBench(options: GrowthOptions): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const factor of [1, 10, 100]) {
    const size = { totalBytes: Math.floor(BASE.bytes * factor), files: BASE.files * factor };
    rows.push(
      ...(await runPlanBench({
        ...size,
        runs: options.runs,
        workDir: options.workDir,
        repoRoot: options.repoRoot,
      })),
    );
  }
  for (const imports of [10, 100]) {
    const size = { totalBytes: Math.floor(BASE.bytes * 10), files: BASE.files * 10 };
    rows.push(
      ...(await runPlanBench({
        ...size,
        imports,
        runs: options.runs,
        workDir: options.workDir,
        repoRoot: options.repoRoot,
      })),
    );
  }
  for (const factor of [1, 10, 100]) rows.push(await runApplyGrowth(factor, options));
  return rows.map((r) => ({ ...r, note: 'growth table: compare the medians across rows' }));
}

/** apply of one import against a minimal Copernica stand-in (bench/copernica-sink.ts): pre-flight, upload, poll. */
async function runApplyGrowth(factor: number, options: GrowthOptions): Promise<BenchRow> {
  const size = {
    totalBytes: Math.floor(BASE.bytes * factor),
    files: BASE.files * factor,
    workDir: options.workDir,
  };
  const tree = await ensureTree(size);
  const cli = join(options.repoRoot, 'dist', 'src', 'bundle', 'main.js');
  const sink = await startSinkProcess(join(options.repoRoot, 'dist', 'bench', 'copernica-sink.js'));
  try {
    const config = join(tree, 'imports-apply.yaml');
    writeFileSync(
      config,
      `version: 1\ncopernica: { url: "${sink.url}" }\nimports:\n  bench:\n    database: 1\n    keyFields: [Email]\n    source: "part-*/*.csv"\n`,
    );
    const state = join(tree, '.state-apply');
    const env = { COPERNICA_ACCESS_TOKEN: 'bench-token' };
    const runs = await repeat(options.runs, async () => {
      rmSync(state, { recursive: true, force: true });
      return timeCommand(process.execPath, [cli, 'apply', '-c', config, '--state', join(state, 's.json')], {
        cwd: tree,
        env,
      });
    });
    const seconds = median(runs.map((r) => r.seconds));
    return {
      name: `apply (${(size.totalBytes / MiB).toFixed(0)} MiB in ${size.files} files)`,
      subject: 'copernica-sync apply against a local sink',
      baseline: '—',
      subjectMedianS: seconds,
      subjectSpreadS: Math.max(...runs.map((r) => r.seconds)) - Math.min(...runs.map((r) => r.seconds)),
      baselineMedianS: Number.NaN,
      ratio: Number.NaN,
      peakRssMb: Math.max(...runs.map((r) => r.peakRssMb)),
      goal: 'recorded for the growth table',
      met: Number.isFinite(seconds),
    };
  } finally {
    sink.child.kill('SIGTERM');
  }
}

export async function startSinkProcess(script: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let seen = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const match = /(http:\/\/127\.0\.0\.1:\d+)/.exec(seen);
      if (match?.[1]) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`sink exited (${code})`)));
  });
  return { url, child };
}

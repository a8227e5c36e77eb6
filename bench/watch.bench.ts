// Watch mode: write→import latency, idle CPU over 10,000 watched files, memory growth over 5,000 change events.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { type Emulator, startEmulator } from '../src/emulator/start-emulator.js';
import { spawnWatch, until, type WatchProcess } from '../test/watch/helpers/watch-process.js';
import { type BenchRow, median, spread } from './lib.js';

const TOKEN_ENV = 'WATCH_BENCH_TOKEN';
const DEBOUNCE_MS = 200;
const IDLE_FILES = 10_000;
const IDLE_WINDOW_MS = 10_000;
const CHANGE_EVENTS = 5_000;
const CHANGE_FILES = 500;
const WARM_UP_EVENTS = 1_000;

interface Setup {
  emulator: Emulator;
  watch: WatchProcess;
  dir: string;
}

export async function runWatchBench(options: { runs: number; workDir: string }): Promise<BenchRow[]> {
  return [
    await latencyRow(options.workDir, Math.max(options.runs, 5)),
    await idleCpuRow(options.workDir),
    await memoryRow(options.workDir),
  ];
}

async function setUp(dir: string, glob: string, files: Record<string, string>): Promise<Setup> {
  rmSync(dir, { recursive: true, force: true });
  const emulator = await startEmulator({ port: 0, importDelayMs: 20 });
  write(dir, 'imports.yaml', config(emulator.url, glob));
  for (const [rel, content] of Object.entries(files)) write(dir, rel, content);
  const watch = spawnWatch(['--debounce', String(DEBOUNCE_MS)], {
    cwd: dir,
    env: { [TOKEN_ENV]: emulator.token },
  });
  await watch.waitFor(/watch: ready/, 0, 120_000);
  return { emulator, watch, dir };
}

async function tearDown(setup: Setup): Promise<void> {
  await setup.watch.stop('SIGTERM');
  await setup.emulator.close();
  rmSync(setup.dir, { recursive: true, force: true });
}

/** From the moment writeFileSync returns to the moment the emulator sees the import's POST. */
async function latencyRow(workDir: string, runs: number): Promise<BenchRow> {
  const setup = await setUp(join(workDir, 'watch-latency'), 'data/*.csv', { 'data/a.csv': csv(0, 10) });
  const latencies: number[] = [];
  try {
    for (let run = 1; run <= runs; run++) {
      const from = setup.watch.mark();
      const before = importPosts(setup.emulator);
      write(setup.dir, 'data/a.csv', csv(run, 10));
      const written = performance.now();
      await until(
        'the import request',
        () => (importPosts(setup.emulator) > before ? true : undefined),
        10_000,
        2,
      );
      latencies.push((performance.now() - written) / 1000);
      await setup.watch.waitFor(/✓ contacts: finished/, from);
    }
  } finally {
    await tearDown(setup);
  }
  const overheadMs = (median(latencies) - DEBOUNCE_MS / 1000) * 1000;
  return {
    name: 'watch latency',
    subject: `write → import POST (--debounce ${DEBOUNCE_MS})`,
    baseline: 'the debounce',
    subjectMedianS: median(latencies),
    subjectSpreadS: spread(latencies),
    baselineMedianS: DEBOUNCE_MS / 1000,
    ratio: median(latencies) / (DEBOUNCE_MS / 1000),
    peakRssMb: 0,
    goal: 'debounce + at most 200 ms',
    met: overheadMs <= 200,
    note: `overhead over the debounce: median ${overheadMs.toFixed(0)} ms, max ${((Math.max(...latencies) - DEBOUNCE_MS / 1000) * 1000).toFixed(0)} ms`,
  };
}

/** CPU ticks (utime + stime) of the idle watcher over a 10 s window, as a share of one core. */
async function idleCpuRow(workDir: string): Promise<BenchRow> {
  const files: Record<string, string> = {};
  for (let i = 0; i < IDLE_FILES; i++)
    files[`data/${String(i % 100).padStart(2, '0')}/f${i}.csv`] = csv(i, 1);
  const setup = await setUp(join(workDir, 'watch-idle'), 'data/**/*.csv', files);
  try {
    const pid = setup.watch.pid ?? 0;
    await delay(1000); // let the start-up pass's garbage settle
    const start = cpuSeconds(pid);
    await delay(IDLE_WINDOW_MS);
    const used = cpuSeconds(pid) - start;
    const share = used / (IDLE_WINDOW_MS / 1000);
    return {
      name: 'watch idle CPU',
      subject: `watch over ${IDLE_FILES} files, idle`,
      baseline: `${IDLE_WINDOW_MS / 1000} s wall`,
      subjectMedianS: used,
      subjectSpreadS: 0,
      baselineMedianS: IDLE_WINDOW_MS / 1000,
      ratio: share,
      peakRssMb: rssMb(pid),
      goal: '< 1% of a core',
      met: share < 0.01,
      note: `ratio = share of one core (${(share * 100).toFixed(2)}%); CPU time from /proc/<pid>/stat`,
    };
  } finally {
    await tearDown(setup);
  }
}

/** RSS of the watcher after a warm-up, then after 5,000 more change events over 500 files (imports in between). */
async function memoryRow(workDir: string): Promise<BenchRow> {
  const files: Record<string, string> = {};
  for (let i = 0; i < CHANGE_FILES; i++) files[`data/f${i}.csv`] = csv(i, 2);
  const setup = await setUp(join(workDir, 'watch-memory'), 'data/*.csv', files);
  try {
    const pid = setup.watch.pid ?? 0;
    // Warm-up: the heap grows to its working size during the first rounds; growth after that is what leaks.
    let round = await changeRounds(setup, 0, WARM_UP_EVENTS);
    const before = rssMb(pid);
    const importsBefore = importPosts(setup.emulator);
    const started = performance.now();
    round = await changeRounds(setup, round, CHANGE_EVENTS);
    const seconds = (performance.now() - started) / 1000;
    const after = rssMb(pid);
    const events = countEvents(setup.watch) - WARM_UP_EVENTS;
    return {
      name: 'watch memory',
      subject: `RSS growth over ${events} change events`,
      baseline: `RSS after ${WARM_UP_EVENTS} warm-up events (${before.toFixed(0)} MB)`,
      subjectMedianS: seconds,
      subjectSpreadS: 0,
      baselineMedianS: 0,
      ratio: after - before,
      peakRssMb: after,
      goal: 'growth < 20 MB',
      met: after - before < 20,
      note: `ratio = RSS growth in MB (${before.toFixed(0)} → ${after.toFixed(0)} MB), ${importPosts(setup.emulator) - importsBefore} imports in between; subject time = seconds for the events`,
    };
  } finally {
    await tearDown(setup);
  }
}

/** Rewrites 100 files per round, pausing past the debounce so imports run in between; waits for the last one. */
async function changeRounds(setup: Setup, firstRound: number, events: number): Promise<number> {
  const target = countEvents(setup.watch) + events;
  let round = firstRound;
  for (let written = 0; written < events; round++) {
    for (let i = 0; i < 100 && written < events; i++, written++) {
      write(setup.dir, `data/f${(round * 100 + i) % CHANGE_FILES}.csv`, csv(round * 1000 + i, 2));
    }
    await delay(DEBOUNCE_MS + 150);
  }
  await until('every change event', () => (countEvents(setup.watch) >= target ? true : undefined), 60_000);
  const from = setup.watch.mark();
  await setup.watch.waitFor(/Apply: /, Math.max(0, from - 2000), 60_000).catch(() => undefined);
  await delay(DEBOUNCE_MS + 500);
  return round;
}

function config(url: string, glob: string): string {
  return [
    'version: 1',
    `copernica: { url: "${url}", tokenEnv: ${TOKEN_ENV} }`,
    'imports:',
    '  contacts:',
    '    database: 1',
    '    keyFields: [Email]',
    `    source: "${glob}"`,
    '',
  ].join('\n');
}

function csv(seed: number, rows: number): string {
  const lines = Array.from({ length: rows }, (_, i) => `p${seed}-${i}@x.nl,Name ${seed}`);
  return `Email,FirstName\n${lines.join('\n')}\n`;
}

function write(dir: string, rel: string, content: string): void {
  const path = join(dir, rel);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, content);
}

function importPosts(emulator: Emulator): number {
  return emulator.requests.filter((r) => r.method === 'POST' && /import/.test(r.path) && r.status === 201)
    .length;
}

function countEvents(watch: WatchProcess): number {
  return watch.stdout().match(/ (change|add) data\//g)?.length ?? 0;
}

function cpuSeconds(pid: number): number {
  // Fields after the command name: utime and stime are the 12th and 13th, in clock ticks (100 per second).
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}

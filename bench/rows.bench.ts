// The row-level plan (issue 14): what a 0.1 % change of a big export sends, what the row diff costs against
// sha256sum of the same file, and what the row snapshot takes on disk per row.
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { startSinkProcess } from './growth.bench.js';
import { type BenchRow, median, repeat, timeCommand } from './lib.js';

interface RowsOptions {
  runs: number;
  workDir: string;
  repoRoot: string;
}

const HEADER = 'Email,FirstName,LastName,City,Score\n';
/** Every 1,000th row is edited: 0.1 %. */
const EDIT_EVERY = 1000;

function rowOf(i: number, edited: boolean): string {
  return `user${i}@example.com,${edited ? 'Edited' : 'First'}${i},Last${i},City${i % 97},${i % 1000}\n`;
}

/** Writes the file, and returns the bytes of the rows the edited version changes. */
async function writeRows(path: string, rows: number, edited: boolean): Promise<number> {
  const out = createWriteStream(path);
  out.write(HEADER);
  let changedBytes = 0;
  let chunk = '';
  for (let i = 0; i < rows; i += 1) {
    const edit = edited && i % EDIT_EVERY === 0;
    const line = rowOf(i, edit);
    if (edit) changedBytes += Buffer.byteLength(line);
    chunk += line;
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
      chunk = '';
    }
  }
  out.end(chunk);
  await new Promise<void>((resolve) => out.once('finish', () => resolve()));
  return changedBytes;
}

export async function runRowsBench(options: RowsOptions): Promise<BenchRow[]> {
  const cli = join(options.repoRoot, 'dist', 'src', 'bundle', 'main.js');
  const sink = await startSinkProcess(join(options.repoRoot, 'dist', 'bench', 'copernica-sink.js'));
  const env = { COPERNICA_ACCESS_TOKEN: 'bench-token' };
  try {
    const rows: BenchRow[] = [];
    for (const count of [1_000_000, 2_000_000]) {
      const dir = join(options.workDir, `rows-${count}`);
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
      const config = join(dir, 'imports.yaml');
      writeFileSync(
        config,
        `version: 1\ncopernica: { url: "${sink.url}" }\nstate: .state/state.json\nimports:\n  bench:\n    database: 1\n    keyFields: [Email]\n    source: data.csv\n    send: changes\n`,
      );
      const data = join(dir, 'data.csv');
      await writeRows(data, count, false);
      const apply = (args: string[] = []) =>
        timeCommand(process.execPath, [cli, 'apply', '-c', config, ...args], { cwd: dir, env });
      await apply(); // the first run sends every row and writes the snapshot
      const snapshot = join(dir, '.state', 'rows', 'bench.rows.gz');
      const snapshotBytes = existsSync(snapshot) ? statSync(snapshot).size : Number.NaN;
      const changedBytes = await writeRows(data, count, true);
      const label = `${(count / 1e6).toFixed(0)}M rows, 0.1 % changed`;

      const plan = await repeat(options.runs, () =>
        timeCommand(process.execPath, [cli, 'plan', '-c', config], { cwd: dir, env }),
      );
      const sha = await repeat(options.runs, () => timeCommand('sha256sum', [data]));
      const planS = median(plan.map((r) => r.seconds));
      const shaS = median(sha.map((r) => r.seconds));
      const planRss = Math.max(...plan.map((r) => r.peakRssMb));
      rows.push({
        name: `plan with the row diff (${label})`,
        subject: 'copernica-sync plan against the row snapshot',
        baseline: 'sha256sum of the file',
        subjectMedianS: planS,
        subjectSpreadS: Math.max(...plan.map((r) => r.seconds)) - Math.min(...plan.map((r) => r.seconds)),
        baselineMedianS: shaS,
        ratio: planS / shaS,
        peakRssMb: planRss,
        // issue 14 sets the figure for 2,000,000 rows; at 1,000,000 the fixed start-up weighs more
        goal: count === 2_000_000 ? '≤ 3x sha256sum, peak RSS ≤ 250 MB' : '— (the goal is for 2M rows)',
        met: count === 2_000_000 ? planS / shaS <= 3 && planRss <= 250 : undefined,
      });

      const before = await postedBytes(sink.url);
      const delta = await apply();
      const sent = (await postedBytes(sink.url)).slice(before.length);
      const body = sent.reduce((a, b) => a + b, 0);
      rows.push({
        name: `apply send: changes (${label})`,
        subject: `POST body bytes (${sent.length} import)`,
        baseline: `bytes of the ${count / EDIT_EVERY} changed rows`,
        subjectMedianS: delta.seconds,
        subjectSpreadS: 0,
        baselineMedianS: Number.NaN,
        ratio: body / changedBytes,
        peakRssMb: delta.peakRssMb,
        goal: 'body ≤ 1.1x the changed rows',
        met: body / changedBytes <= 1.1,
        note: `ratio = bytes sent / bytes of the changed rows (${body} / ${changedBytes}); time is the whole apply`,
      });
      rows.push({
        name: `row snapshot (${(count / 1e6).toFixed(0)}M rows)`,
        subject: 'bytes on disk per row',
        baseline: '—',
        subjectMedianS: Number.NaN,
        subjectSpreadS: 0,
        baselineMedianS: Number.NaN,
        ratio: snapshotBytes / count,
        peakRssMb: Number.NaN,
        goal: '≤ 16 bytes per row',
        met: snapshotBytes / count <= 16,
        note: `ratio = bytes per row (${snapshotBytes} bytes; gzip over keys and 8-byte row hashes)`,
      });
      // Keep the work directory small: the next size writes its own.
      for (const f of readdirSync(dir)) if (f.endsWith('.csv')) rmSync(join(dir, f));
    }
    return rows;
  } finally {
    sink.child.kill('SIGTERM');
  }
}

async function postedBytes(url: string): Promise<number[]> {
  const response = await fetch(`${url}/v3/sink/posts`);
  return (await response.json()) as number[];
}

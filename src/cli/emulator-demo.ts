// `apply --emulator` (the `npm start` demo): an in-process emulator, throwaway state, and a before/after table.
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { parse } from 'csv-parse/sync';
import fg from 'fast-glob';
import type { ImportDefinition, SyncConfig } from '../config/types.js';
import type { ExitCode } from '../core/exit-codes.js';
import { startEmulator } from '../emulator/start-emulator.js';
import { apply } from '../run/apply.js';
import type { ApplyRunOptions } from '../run/options.js';
import { loadValidConfig } from '../run/session.js';
import { csvLine } from '../sources/csv-record.js';
import type { CommandContext } from './context.js';

interface DatabaseCounts {
  database: string;
  profiles: number;
  subprofiles: number;
}

/** The same apply as always, pointed at the emulator through the environment, with a throwaway state. */
export async function runEmulatorDemo(
  ctx: CommandContext<unknown>,
  options: ApplyRunOptions,
): Promise<ExitCode> {
  const { config } = await loadValidConfig({ config: ctx.global.config, cwd: ctx.cwd, env: ctx.env });
  const emulator = await startEmulator({ port: 0, importDelayMs: 50 });
  const stateDir = await mkdtemp(join(tmpdir(), 'copernica-sync-demo-'));
  try {
    const before = emulator.summarize();
    const json = ctx.global.format === 'json';
    // NDJSON stays machine-readable: the banner goes to stderr, the counts become one event.
    (json ? ctx.io.stderr : ctx.io.stdout).write(
      `Emulator running at ${emulator.url} (in-process; state in a throwaway directory)\n${json ? '' : '\n'}`,
    );
    const env = { ...ctx.env, COPERNICA_API_URL: emulator.url, [config.copernica.tokenEnv]: emulator.token };
    const state = join(stateDir, 'state.json');
    const { exitCode: code } = await apply({ ...options, env, state });
    const after = emulator.summarize();
    ctx.io.stdout.write(json ? renderChangesJson(before, after) : `\n${renderChanges(before, after)}`);
    const rowImport = config.imports.find((d) => d.send === 'changes' && d.source.kind === 'files');
    if (code !== 0 || !rowImport) return code;
    // Act two: a few rows edited in a temp copy, and only those rows are sent.
    const copy = await editedCopy(config, rowImport, stateDir);
    (json ? ctx.io.stderr : ctx.io.stdout).write(
      `\nIn a temp copy, ${copy.file}: ${copy.edited} rows edited, 1 added, 1 removed. Applying again:\n\n`,
    );
    const again = await apply({ ...options, env, state, cwd: copy.dir, config: copy.config });
    ctx.io.stdout.write(
      json
        ? renderChangesJson(after, emulator.summarize())
        : `\n${renderChanges(after, emulator.summarize())}`,
    );
    return again.exitCode;
  } finally {
    await emulator.close();
    await rm(stateDir, { recursive: true, force: true });
  }
}

/** imports.yaml and every import's data copied under `into`; of this import's first file, two rows edited, one added, one removed. */
async function editedCopy(
  config: SyncConfig,
  def: ImportDefinition,
  into: string,
): Promise<{ dir: string; config: string; file: string; edited: number }> {
  const dir = join(into, 'copy');
  const positive = (d: ImportDefinition) =>
    d.source.kind === 'files' ? d.source.globs.filter((g) => !g.startsWith('!')) : [];
  for (const glob of config.imports.flatMap(positive)) {
    const base = glob.split('/').slice(0, -1).join('/');
    await cp(join(config.dir, base), join(dir, base), { recursive: true });
  }
  const globs = positive(def);
  await cp(config.file, join(dir, basename(config.file)));
  const files = (await fg(globs, { cwd: dir })).sort();
  const file = files[0] ?? '';
  const text = await readFile(join(dir, file), 'utf8');
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const [head = '', ...rows] = text.split(eol).filter((line) => line.length > 0);
  const header = parse(head, { bom: true })[0] as string[];
  const key = header.indexOf(def.keyFields[0] ?? '');
  const edit = (line: string, change: (values: string[]) => void) => {
    const values = (parse(line)[0] as string[]).slice();
    change(values);
    return csvLine(values, ',').slice(0, -1);
  };
  const other = key === 0 ? 1 : 0;
  const edited = rows.slice(0, 2).map((l) => edit(l, (v) => (v[other] = `${v[other]} (edited)`)));
  const added = edit(rows[0] ?? '', (v) => (v[key] = 'new.reader@example.org'));
  const kept = [head, ...edited, ...rows.slice(2, -1), added];
  await writeFile(join(dir, file), `${kept.join(eol)}${eol}`);
  return { dir, config: join(dir, basename(config.file)), file, edited: edited.length };
}

export function renderChanges(before: DatabaseCounts[], after: DatabaseCounts[]): string {
  const rows = after.map((a) => {
    const b = before.find((x) => x.database === a.database) ?? { profiles: 0, subprofiles: 0 };
    return `| ${a.database} | ${b.profiles} → ${a.profiles} | ${b.subprofiles} → ${a.subprofiles} |`;
  });
  return [
    'What changed in the emulator:',
    '',
    '| database | profiles | subprofiles |',
    '|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}

export function renderChangesJson(before: DatabaseCounts[], after: DatabaseCounts[]): string {
  const databases = after.map((a) => {
    const b = before.find((x) => x.database === a.database) ?? { profiles: 0, subprofiles: 0 };
    return { database: a.database, before: pick(b), after: pick(a) };
  });
  return `${JSON.stringify({ type: 'emulator-changes', version: 1, databases })}\n`;
}

function pick(counts: { profiles: number; subprofiles: number }) {
  return { profiles: counts.profiles, subprofiles: counts.subprofiles };
}

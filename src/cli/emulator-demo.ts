// `apply --emulator` (the `npm start` demo): an in-process emulator, throwaway state, and a before/after table.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExitCode } from '../core/exit-codes.js';
import { startEmulator } from '../emulator/start-emulator.js';
import { apply } from '../run/apply.js';
import type { ApplyRunOptions } from '../run/options.js';
import { loadValidConfig } from '../run/session.js';
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
    const { exitCode: code } = await apply({ ...options, env, state: join(stateDir, 'state.json') });
    const after = emulator.summarize();
    ctx.io.stdout.write(json ? renderChangesJson(before, after) : `\n${renderChanges(before, after)}`);
    return code;
  } finally {
    await emulator.close();
    await rm(stateDir, { recursive: true, force: true });
  }
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

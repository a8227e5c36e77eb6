// `apply --emulator` (the `npm start` demo): an in-process emulator, throwaway state, and a before/after table.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExitCode } from '../core/exit-codes.js';
import { startEmulator } from '../emulator/start-emulator.js';
import { type ApplyOptions, runApplyFlow } from './apply-flow.js';
import type { CommandContext } from './context.js';

interface DatabaseCounts {
  database: string;
  profiles: number;
  subprofiles: number;
}

export async function runEmulatorDemo(
  ctx: CommandContext<unknown>,
  options: ApplyOptions,
): Promise<ExitCode> {
  const emulator = await startEmulator({ port: 0, importDelayMs: 50 });
  const stateDir = await mkdtemp(join(tmpdir(), 'copernica-sync-demo-'));
  try {
    const before = emulator.summarize();
    const json = ctx.global.format === 'json';
    // NDJSON stays machine-readable: the banner goes to stderr, the counts become one event.
    (json ? ctx.io.stderr : ctx.io.stdout).write(
      `Emulator running at ${emulator.url} (in-process; state in a throwaway directory)\n${json ? '' : '\n'}`,
    );
    const code = await runApplyFlow(ctx, {
      ...options,
      override: {
        url: emulator.url,
        statePath: join(stateDir, 'state.json'),
        token: emulator.token,
        tokenEnv: 'COPERNICA_SYNC_EMULATOR_TOKEN',
      },
    });
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

// `status`: what the state says per import, and with a token (or --live, which needs one) what Copernica says of it.

import { CopernicaSyncError } from '../../core/errors.js';
import type { ExitCode } from '../../core/exit-codes.js';
import { EXIT } from '../../core/exit-codes.js';
import { countOf } from '../../core/plural.js';
import { createClientFromConfig } from '../../pipeline/create-client.js';
import { loadValidConfig } from '../../pipeline/prepare-plan.js';
import { loadState } from '../../state/state-store.js';
import type { StateEntry } from '../../state/types.js';
import type { CommandContext } from '../context.js';
import { createPaint } from '../reporters/paint.js';

export interface StatusOptions {
  live?: boolean;
}

interface StatusRow {
  name: string;
  applied: boolean;
  outcome?: string;
  appliedAt?: string;
  fingerprint?: string;
  importId?: string;
  rows?: number;
  error?: string;
  live?: Record<string, unknown>;
  liveError?: string;
}

export async function runStatus(ctx: CommandContext<StatusOptions>): Promise<ExitCode> {
  const { config } = await loadValidConfig({
    configPath: ctx.global.config,
    cwd: ctx.cwd,
    env: ctx.env,
    ...(ctx.global.state ? { statePath: ctx.global.state } : {}),
  });
  const state = await loadState(config.statePath);
  const selected = selectImports(config.imports, ctx.global.only);
  const rows: StatusRow[] = selected.map((d) => toRow(d.name, state.imports[d.name]));
  // With the token at hand, ask Copernica; --live insists (and fails without a token).
  const tokenSet = (ctx.env[config.copernica.tokenEnv] ?? '').trim() !== '';
  if (ctx.options.live || (tokenSet && rows.some((r) => r.importId))) {
    const client = createClientFromConfig(config, { env: ctx.env, signal: ctx.signal });
    try {
      await addLive(rows, client);
    } finally {
      await client.close();
    }
  }
  writeRows(ctx, rows);
  const failed = rows.some(
    (r) => r.outcome === 'failed' || r.outcome === 'unknown' || r.liveError !== undefined,
  );
  return failed ? EXIT.failure : EXIT.ok;
}

/** --only for status: exactly the named imports (no dependencies: nothing runs); unknown names are a usage error. */
function selectImports<T extends { name: string }>(imports: T[], only: string[] | undefined): T[] {
  if (!only) return imports;
  const unknown = only.filter((name) => !imports.some((d) => d.name === name));
  if (unknown.length > 0) {
    throw new CopernicaSyncError('E_USAGE_ONLY', `--only names unknown import(s): ${unknown.join(', ')}`, {
      exitCode: EXIT.usage,
      hint: `known imports: ${imports.map((d) => d.name).join(', ') || '(none)'}`,
    });
  }
  return imports.filter((d) => only.includes(d.name));
}

function toRow(name: string, entry: StateEntry | undefined): StatusRow {
  if (!entry) return { name, applied: false };
  return {
    name,
    applied: true,
    outcome: entry.outcome,
    appliedAt: entry.appliedAt,
    fingerprint: entry.fingerprint,
    rows: entry.rows,
    ...(entry.importId ? { importId: entry.importId } : {}),
    ...(entry.error ? { error: entry.error } : {}),
  };
}

async function addLive(rows: StatusRow[], client: ReturnType<typeof createClientFromConfig>): Promise<void> {
  for (const row of rows) {
    if (!row.importId) continue;
    try {
      row.live = { ...(await client.getImport(row.importId)) };
    } catch (error) {
      row.liveError = error instanceof Error ? error.message : String(error);
    }
  }
}

function writeRows(ctx: CommandContext<StatusOptions>, rows: StatusRow[]): void {
  if (ctx.global.format === 'json') {
    for (const row of rows)
      ctx.io.stdout.write(`${JSON.stringify({ type: 'status', version: 1, ...row })}\n`);
    return;
  }
  const paint = createPaint(ctx.global.color);
  for (const row of rows) {
    if (!row.applied) {
      ctx.io.stdout.write(`${row.name}: never applied\n`);
      continue;
    }
    const tone =
      row.outcome === 'succeeded' ? paint.green : row.outcome === 'submitted' ? paint.yellow : paint.red;
    const id = row.importId ? `, Copernica import ${row.importId}` : '';
    ctx.io.stdout.write(
      `${row.name}: ${tone(row.outcome ?? '')} at ${row.appliedAt}, ${countOf(row.rows ?? 0, 'row')}, fingerprint ${row.fingerprint?.slice(0, 12)}${id}\n`,
    );
    if (row.error) ctx.io.stdout.write(`  last error: ${row.error}\n`);
    if (row.live) ctx.io.stdout.write(`  live: ${renderLive(row.live)}\n`);
    if (row.liveError) ctx.io.stdout.write(`  live: ${paint.red('unavailable')}: ${row.liveError}\n`);
  }
}

function renderLive(live: Record<string, unknown>): string {
  const done = live.lastrun ? `finished ${String(live.lastrun)}` : 'not finished';
  const error = live.lasterror ? `, error: ${String(live.lasterror)}` : '';
  const lines =
    live.totallines !== undefined
      ? `, ${String(live.processedlines ?? '?')}/${String(live.totallines)} lines`
      : '';
  return `${String(live.status ?? '')} (${done}${lines}${error})`;
}

// status: what the state says per import; with a token (or --live, which needs one) what Copernica says of it,
// submitted imports resolved and recorded on the way.
import type { ImportStatus } from '../copernica/types.js';
import { compareCodeUnits } from '../core/compare-code-units.js';
import { CopernicaSyncError } from '../core/errors.js';
import { EXIT, type ExitCode } from '../core/exit-codes.js';
import type { StateEntry } from '../state/types.js';
import type { RunOptions } from './options.js';
import { resolveSubmitted } from './resolve-submitted.js';
import { checkRowDrift, type RowDrift } from './row-drift.js';
import { openSession, type Session } from './session.js';

export interface StatusRow {
  name: string;
  applied: boolean;
  outcome?: string;
  appliedAt?: string;
  fingerprint?: string;
  importId?: string;
  rows?: number;
  error?: string;
  /** Copernica's record of the import (GET import/{id}). */
  live?: ImportStatus;
  liveError?: string;
  /** status --rows: the row snapshot against the profiles Copernica holds. */
  drift?: RowDrift;
}

export interface StatusOptions extends RunOptions {
  /** Ask Copernica even so (automatic when the token is set); fails without a token. */
  live?: boolean;
  /** Compare this import's row snapshot with the profiles Copernica holds (implies live). */
  rows?: string;
}

export interface StatusResult {
  imports: StatusRow[];
  exitCode: ExitCode;
}

export async function status(options: StatusOptions = {}): Promise<StatusResult> {
  const env = options.env ?? process.env;
  let session = await openSession(options);
  try {
    const all = session.config.imports.map((d) => d.name);
    const names = selectExactly(all, options.only);
    // --rows names one import (shown even when --only leaves it out).
    if (options.rows !== undefined) {
      selectExactly(all, [options.rows], '--rows');
      if (!names.includes(options.rows)) names.push(options.rows);
    }
    const tokenSet = (env[session.config.copernica.tokenEnv] ?? '').trim() !== '';
    const online =
      options.live === true ||
      options.rows !== undefined ||
      (tokenSet && names.some((n) => session.writer.current.imports[n]?.importId));
    if (online && hasSubmitted(session, names)) session = await relock(session, options);
    if (online && session.lock) await resolveSubmitted(session, names);
    const rows = names.map((name) => toRow(name, session.writer.current.imports[name]));
    if (online) await addLive(session, rows);
    const checked = rows.find((r) => r.name === options.rows);
    if (checked) checked.drift = await checkRowDrift(session, checked.name);
    for (const row of rows) session.emit({ type: 'status', row });
    return { imports: rows, exitCode: exitCodeFor(rows, online) };
  } finally {
    await session.close();
  }
}

/** Recording what Copernica says needs the lock; a run holding it (a watch) records it itself. */
async function relock(session: Session, options: StatusOptions): Promise<Session> {
  await session.close();
  try {
    return await openSession(options, { lockFor: 'status' });
  } catch (error) {
    if (!(error instanceof CopernicaSyncError) || error.code !== 'E_STATE_LOCKED') throw error;
    return openSession(options);
  }
}

function hasSubmitted(session: Session, names: readonly string[]): boolean {
  return names.some((name) => {
    const entry = session.writer.current.imports[name];
    return (
      entry?.outcome === 'submitted' ||
      Object.values(entry?.perFile ?? {}).some((r) => r.outcome === 'submitted')
    );
  });
}

/** A failed or unknown outcome is a failure; a submitted one too while nobody asked Copernica about it. */
function exitCodeFor(rows: readonly StatusRow[], online: boolean): ExitCode {
  const bad = rows.some(
    (r) =>
      r.outcome === 'failed' ||
      r.outcome === 'unknown' ||
      r.liveError !== undefined ||
      (r.drift !== undefined && r.drift.missing + r.drift.differ > 0) ||
      (r.outcome === 'submitted' && !online),
  );
  return bad ? EXIT.failure : EXIT.ok;
}

/** --only for status: exactly the named imports (nothing runs, so no dependencies); unknown names are a usage error. */
function selectExactly(names: string[], only: string[] | undefined, flag = '--only'): string[] {
  if (!only) return names;
  const unknown = only.filter((name) => !names.includes(name));
  if (unknown.length > 0) {
    throw new CopernicaSyncError('E_USAGE_ONLY', `${flag} names unknown import(s): ${unknown.join(', ')}`, {
      exitCode: EXIT.usage,
      hint: `known imports: ${[...names].sort(compareCodeUnits).join(', ') || '(none)'}`,
    });
  }
  return names.filter((name) => only.includes(name));
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

async function addLive(session: Session, rows: StatusRow[]): Promise<void> {
  const client = session.client({ signal: session.signal });
  for (const row of rows) {
    if (!row.importId) continue;
    try {
      row.live = await client.getImport(row.importId);
    } catch (error) {
      row.liveError = error instanceof Error ? error.message : String(error);
    }
  }
}

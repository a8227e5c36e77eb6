// One watch pass: plan quietly first; only when something would run, hand over to the apply pass (which prints).
import { existsSync } from 'node:fs';
import type { ImportResult } from '../apply/execute-plan.js';
import { type ApplyOptions, type ApplySession, runApplyPass } from '../cli/apply-flow.js';
import type { CommandContext } from '../cli/context.js';
import type { ApplyReporterOptions } from '../cli/reporters/apply-events.js';
import type { Diagnostic } from '../core/diagnostic.js';
import { CopernicaSyncError } from '../core/errors.js';
import { planFromConfig } from '../pipeline/prepare-plan.js';
import type { Plan, PlannedImport } from '../plan/types.js';
import { disposeSources, toHashCacheEntries } from '../sources/resolve-source.js';
import type { RunVerdict } from './import-queue.js';
import type { WatchLog } from './watch-log.js';

export interface PassDeps {
  /** The context the apply pass prints through (stamped streams, the pass's own abort signal). */
  ctx: CommandContext<unknown>;
  session: ApplySession;
  options: ApplyOptions;
  reporter: Partial<ApplyReporterOptions>;
  log: WatchLog;
  verbose: boolean;
  /** Prints the diagnostics of an invalid import. */
  writeProblems: (list: Diagnostic[]) => void;
}

/** Runs `only` (or every import) and says, per import, what happened. */
export async function runWatchPass(deps: PassDeps, only?: string[]): Promise<Map<string, RunVerdict>> {
  let quiet: Awaited<ReturnType<typeof planQuietly>>;
  try {
    quiet = await planQuietly(deps, only);
  } catch (error) {
    reportPassError(deps.log, error, only);
    return new Map((only ?? []).map((name) => [name, { kind: 'failed', outcome: 'failed' }]));
  }
  if (quiet.plan.summary.toRun === 0) {
    for (const planned of inScope(quiet.plan, only)) explainIdle(deps, planned, quiet.diagnostics);
    return verdictsOf(quiet.plan, new Map(), only);
  }
  try {
    const pass = await runApplyPass(deps.ctx, deps.session, deps.options, {
      ...(only ? { only } : {}),
      reporter: deps.reporter,
    });
    return verdictsOf(pass.plan, pass.results, only);
  } catch (error) {
    reportPassError(deps.log, error, only);
    const failed = new Map<string, ImportResult>();
    for (const p of quiet.plan.imports.filter((i) => i.willRun))
      failed.set(p.name, { name: p.name, outcome: 'failed', ids: [] });
    return verdictsOf(quiet.plan, failed, only);
  }
}

/** Plans without printing, and keeps the fresh hashes so the next event on an untouched file reads nothing. */
async function planQuietly(deps: PassDeps, only: string[] | undefined) {
  const prepared = await planFromConfig(deps.session.config, deps.session.writer.current, [], {
    cwd: deps.ctx.cwd,
    ...(only ? { only } : {}),
    force: false,
    allowDestructive: deps.options.allowDestructive,
    allowOutside: deps.options.allowOutside,
    now: Date.now,
  });
  try {
    const fresh = toHashCacheEntries(prepared.sources.values(), Date.now());
    await deps.session.writer.update((state) => ({
      ...state,
      hashCache: withoutGone({ ...state.hashCache, ...fresh }),
    }));
    return { plan: prepared.plan, diagnostics: prepared.diagnostics };
  } finally {
    await disposeSources(prepared.sources.values());
  }
}

/** Months of dropped-in files would grow the cache forever: entries of files that are gone are dropped. */
function withoutGone<T>(cache: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(cache).filter(([path]) => existsSync(path)));
}

function inScope(plan: Plan, only: string[] | undefined): PlannedImport[] {
  return plan.imports.filter((p) => !only || only.includes(p.name));
}

/** One short line for an import that will not run: refused and invalid ones say why. */
function explainIdle(deps: PassDeps, planned: PlannedImport, diagnostics: Diagnostic[]): void {
  const { log, verbose } = deps;
  if (planned.status === 'refused') {
    const refusal = planned.refusals[0];
    const why = refusal ? `${refusal.code} ${refusal.message}` : planned.reasons.join('; ');
    log.problem('refused', `${planned.name}: refused (${why}); waiting for a change`, {
      name: planned.name,
      ...(refusal ? { code: refusal.code, hint: refusal.hint } : {}),
    });
  } else if (planned.status === 'invalid') {
    log.problem('invalid', `${planned.name}: invalid; waiting for a change`, { name: planned.name });
    deps.writeProblems(diagnostics.filter((d) => d.importName === planned.name && d.severity === 'error'));
  } else if (planned.blockedBy?.length) {
    log.event('blocked', `${planned.name}: waits for ${planned.blockedBy.join(', ')}`, {
      name: planned.name,
    });
  } else if (planned.status === 'unchanged') {
    log.event('unchanged', `${planned.name}: content unchanged, nothing to import`, { name: planned.name });
  } else if (verbose) {
    log.event('idle', `${planned.name}: ${planned.status}`, { name: planned.name });
  }
}

export function verdictsOf(
  plan: Plan,
  results: ReadonlyMap<string, ImportResult>,
  only: string[] | undefined,
): Map<string, RunVerdict> {
  const verdicts = new Map<string, RunVerdict>();
  for (const planned of inScope(plan, only))
    verdicts.set(planned.name, verdictFor(planned, results.get(planned.name)));
  return verdicts;
}

function verdictFor(planned: PlannedImport, result: ImportResult | undefined): RunVerdict {
  if (result) {
    const ok = result.outcome === 'succeeded' || result.outcome === 'submitted';
    return { kind: ok ? 'ran' : 'failed', outcome: result.outcome };
  }
  if (planned.status === 'refused' || planned.status === 'invalid')
    return { kind: 'waiting', outcome: planned.status };
  if (planned.blockedBy?.length) return { kind: 'waiting', outcome: 'blocked' };
  if (planned.willRun) return { kind: 'failed', outcome: 'not run' };
  return { kind: 'unchanged', outcome: 'unchanged' };
}

function reportPassError(log: WatchLog, error: unknown, only: string[] | undefined): void {
  const who = only ? `${only.join(', ')}: ` : '';
  if (error instanceof CopernicaSyncError) {
    const hint = error.hint ? ` (hint: ${error.hint})` : '';
    log.problem('error', `${who}${error.code} ${error.message}${hint}`, { code: error.code });
    return;
  }
  const message = error instanceof Error ? error.message : String(error);
  log.problem('error', `${who}E_INTERNAL ${message}`, { code: 'E_INTERNAL' });
}

// One watch pass: the same apply pass as the CLI's; when nothing runs, one short line per import says why.
import { type ImportResult, isDone } from '../apply/execute-plan.js';
import type { Diagnostic } from '../core/diagnostic.js';
import { CopernicaSyncError } from '../core/errors.js';
import type { Plan, PlannedImport } from '../plan/types.js';
import { type ApplyPassOptions, applyPass } from '../run/apply.js';
import type { Session } from '../run/session.js';
import type { RunVerdict } from './import-queue.js';
import { messageOf, type WatchLog } from './watch-log.js';

export interface PassDeps {
  session: Session;
  options: Omit<ApplyPassOptions, 'only'>;
  log: WatchLog;
  verbose: boolean;
}

/** Runs `only` (or every import) and says, per import, what happened. */
export async function runWatchPass(deps: PassDeps, only?: string[]): Promise<Map<string, RunVerdict>> {
  try {
    const options = { ...deps.options, ...(only ? { only } : {}), quietWhenIdle: true };
    const pass = await applyPass(deps.session, options);
    if (pass.results.length === 0) {
      const problems = pass.records.flatMap((r) => [
        ...(r.source?.diagnostics ?? []),
        ...(r.live?.diagnostics ?? []),
      ]);
      for (const planned of inScope(pass.plan, only)) explainIdle(deps, planned, problems);
    }
    return verdictsOf(pass.plan, new Map(pass.results.map((r) => [r.name, r])), only);
  } catch (error) {
    reportPassError(deps.log, error, only);
    const names = only ?? deps.session.config.imports.map((d) => d.name);
    return new Map(names.map((name) => [name, { kind: 'failed', outcome: 'failed' }]));
  }
}

function inScope(plan: Plan, only: string[] | undefined): PlannedImport[] {
  return plan.imports.filter((p) => !only || only.includes(p.name));
}

/** One short line for an import that will not run: refused and invalid ones say why. */
function explainIdle(
  { log, verbose }: PassDeps,
  planned: PlannedImport,
  problems: readonly Diagnostic[],
): void {
  const { name, status } = planned;
  if (status === 'refused') {
    const refusal = planned.refusals[0];
    const why = refusal ? `${refusal.code} ${refusal.message}` : planned.reasons.join('; ');
    log.problem('refused', `${name}: refused (${why}); waiting for a change`, {
      name,
      ...(refusal ? { code: refusal.code, hint: refusal.hint } : {}),
    });
  } else if (status === 'invalid') {
    log.problem('invalid', `${name}: invalid; waiting for a change`, { name });
    log.diagnostics(problems.filter((d) => d.importName === name && d.severity === 'error'));
  } else if (planned.blockedBy?.length) {
    log.event('blocked', `${name}: waits for ${planned.blockedBy.join(', ')}`, { name });
  } else if (status === 'pending') {
    log.event('pending', `${name}: ${planned.reasons[0] ?? 'still running in Copernica'}`, { name });
  } else if (status === 'unchanged') {
    log.event('unchanged', `${name}: content unchanged, nothing to import`, { name });
  } else if (verbose) {
    log.event('idle', `${name}: ${status}`, { name });
  }
}

export function verdictsOf(
  plan: Plan,
  results: ReadonlyMap<string, ImportResult>,
  only: string[] | undefined,
): Map<string, RunVerdict> {
  return new Map(
    inScope(plan, only).map((p) => {
      const verdict = verdictFor(p, results.get(p.name));
      return [p.name, p.rowChanges ? { ...verdict, rowChanges: p.rowChanges } : verdict];
    }),
  );
}

function verdictFor(planned: PlannedImport, result: ImportResult | undefined): RunVerdict {
  if (result) return { kind: isDone(result.outcome) ? 'ran' : 'failed', outcome: result.outcome };
  if (planned.status === 'refused' || planned.status === 'invalid')
    return { kind: 'waiting', outcome: planned.status };
  if (planned.blockedBy?.length) return { kind: 'waiting', outcome: 'blocked' };
  if (planned.status === 'pending') return { kind: 'waiting', outcome: 'pending' };
  if (planned.willRun) return { kind: 'failed', outcome: 'not run' };
  return { kind: 'unchanged', outcome: 'unchanged' };
}

function reportPassError(log: WatchLog, error: unknown, only: string[] | undefined): void {
  const who = only ? `${only.join(', ')}: ` : '';
  const known = error instanceof CopernicaSyncError;
  const code = known ? error.code : 'E_INTERNAL';
  const hint = known && error.hint ? ` (hint: ${error.hint})` : '';
  log.problem('error', `${who}${code} ${messageOf(error)}${hint}`, { code });
}

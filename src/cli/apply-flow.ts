// The apply flow: lock → plan → checks (plan hash, pre-flight) → execute → state → summary and exit code.
import { executePlan, type ImportResult, type RunRecord } from '../apply/execute-plan.js';
import type { CopernicaClient } from '../copernica/client.js';
import { SyncError } from '../core/errors.js';
import { EXIT, type ExitCode } from '../core/exit-codes.js';
import { restrictToChangedSince } from '../pipeline/changed-since.js';
import { loadValidConfig, type PreparedPlan, planFromConfig } from '../pipeline/prepare-plan.js';
import { checkRemote } from '../pipeline/remote-checks.js';
import { disposeSources, toHashCacheEntries } from '../sources/resolve-source.js';
import { acquireLock } from '../state/lock.js';
import { recordApplied } from '../state/record-applied.js';
import { createStateWriter, loadState } from '../state/state-store.js';
import type { StateFile } from '../state/types.js';
import type { CommandContext } from './context.js';
import { exitCodeForPlan } from './plan-exit-code.js';
import { createApplyReporter } from './reporters/apply-events.js';
import { renderApplySummary } from './reporters/apply-summary.js';
import { writePlanOutput } from './write-plan-output.js';

export interface ApplyOptions {
  force: boolean;
  dryRun: boolean;
  allowDestructive: boolean;
  allowOutside: boolean;
  wait: boolean;
  waitTimeoutMs: number;
  planHash?: string;
  changedSince?: string;
  /** Overrides for the in-process emulator demo. */
  override?: { url: string; statePath: string; token: string; tokenEnv: string };
  /** Reuse a client (tests, the demo). */
  client?: CopernicaClient;
}

export async function runApplyFlow(ctx: CommandContext<unknown>, options: ApplyOptions): Promise<ExitCode> {
  const now = Date.now;
  const loaded = await loadValidConfig({
    configPath: ctx.global.config,
    cwd: ctx.cwd,
    env: ctx.env,
    ...(ctx.global.state ? { statePath: ctx.global.state } : {}),
  });
  const config = options.override
    ? {
        ...loaded.config,
        statePath: options.override.statePath,
        copernica: { ...loaded.config.copernica, url: options.override.url, tokenEnv: options.override.tokenEnv },
      }
    : loaded.config;
  const env = options.override ? { ...ctx.env, [options.override.tokenEnv]: options.override.token } : ctx.env;
  if (ctx.global.format === 'github' && !options.dryRun) maskToken(ctx, env[config.copernica.tokenEnv]);
  const warn = (message: string) => ctx.io.stderr.write(`warning: ${message}\n`);
  const lock = options.dryRun ? undefined : await acquireLock(config.statePath, { command: 'apply', onWarning: warn });
  let prepared: PreparedPlan | undefined;
  try {
    const state = await loadState(config.statePath);
    prepared = await planFromConfig(config, state, loaded.diagnostics, {
      cwd: ctx.cwd,
      ...(ctx.global.only ? { only: ctx.global.only } : {}),
      force: options.force,
      allowDestructive: options.allowDestructive,
      allowOutside: options.allowOutside,
      now,
    });
    if (options.changedSince) prepared = await restrictToChangedSince(prepared, options.changedSince);
    return await applyPrepared(ctx, prepared, options, state);
  } finally {
    if (prepared) await disposeSources(prepared.sources.values());
    await lock?.release();
  }
}

async function applyPrepared(
  ctx: CommandContext<unknown>,
  prepared: PreparedPlan,
  options: ApplyOptions,
  state: StateFile,
): Promise<ExitCode> {
  if (options.planHash && options.planHash !== prepared.plan.hash) {
    writePlanOutput(ctx, prepared.plan, prepared.diagnostics);
    throw new SyncError('E_PLAN_HASH_MISMATCH', `the plan differs from the reviewed one (${options.planHash.slice(0, 12)}…)`, {
      hint: 'run `copernica-sync plan` again, review it, and pass the new hash',
      exitCode: EXIT.refused,
    });
  }
  if (options.dryRun || prepared.plan.summary.toRun === 0) {
    writePlanOutput(ctx, prepared.plan, prepared.diagnostics);
    return exitCodeForPlan(prepared.plan, false);
  }
  const env = options.override ? { ...ctx.env, [options.override.tokenEnv]: options.override.token } : ctx.env;
  const remote = await checkRemote(prepared, {
    env,
    signal: ctx.signal,
    allowDestructive: options.allowDestructive,
    ...(options.client ? { client: options.client } : {}),
  });
  writePlanOutput(ctx, remote.plan, remote.diagnostics);
  const writer = createStateWriter(prepared.config.statePath);
  let current: StateFile = { ...state, hashCache: { ...state.hashCache, ...toHashCacheEntries(prepared.sources.values(), Date.now()) } };
  await writer.save(current);
  const results = await executePlan({
    imports: remote.plan.imports,
    definitions: prepared.definitions,
    sources: prepared.sources,
    databaseIds: remote.databaseIds,
    api: remote.client,
    concurrency: prepared.config.concurrency,
    wait: options.wait,
    waitTimeoutMs: options.waitTimeoutMs,
    signal: ctx.signal,
    now: Date.now,
    record: async (run: RunRecord) => {
      current = recordRun(current, prepared, remote.plan.imports, run);
      await writer.save(current);
    },
    onEvent: createApplyReporter(ctx.io.stdout, ctx.io.stderr, {
      format: ctx.global.format,
      color: ctx.global.color,
      isTTY: ctx.io.isTTY,
      quiet: ctx.global.quiet,
    }),
  });
  await writer.flush();
  ctx.io.stdout.write(renderApplySummary(results, remote.plan, ctx.global.format));
  return exitCodeForApply(results, remote.plan.summary, ctx.signal.aborted);
}

function recordRun(state: StateFile, prepared: PreparedPlan, planned: PreparedPlan['plan']['imports'], run: RunRecord): StateFile {
  const def = prepared.definitions.get(run.name);
  const source = prepared.sources.get(run.name);
  const plannedImport = planned.find((p) => p.name === run.name);
  if (!def || !source || !plannedImport) return state;
  return recordApplied(state, def, source, {
    outcome: run.outcome,
    appliedAt: new Date().toISOString(),
    ...(run.importId ? { importId: run.importId } : {}),
    ...(run.error ? { error: run.error } : {}),
    ...(run.file ? { file: run.file } : {}),
  });
}

function exitCodeForApply(
  results: Map<string, ImportResult>,
  summary: { refused: number; invalid: number },
  interrupted: boolean,
): ExitCode {
  if (interrupted) return EXIT.interrupted;
  const failed = [...results.values()].some((r) => r.outcome !== 'succeeded' && r.outcome !== 'submitted');
  if (failed || summary.invalid > 0) return EXIT.failure;
  if (summary.refused > 0) return EXIT.refused;
  return EXIT.ok;
}

function maskToken(ctx: CommandContext<unknown>, token: string | undefined): void {
  if (token) ctx.io.stdout.write(`::add-mask::${token}\n`);
}

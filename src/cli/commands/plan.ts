// `plan`: what apply would do, and why; offline unless --remote.
import type { ExitCode } from '../../core/exit-codes.js';
import { preparePlan } from '../../pipeline/prepare-plan.js';
import { restrictToChangedSince } from '../../pipeline/changed-since.js';
import { checkRemote } from '../../pipeline/remote-checks.js';
import { saveHashCache } from '../../pipeline/save-hash-cache.js';
import type { CommandContext } from '../context.js';
import { exitCodeForPlan } from '../plan-exit-code.js';
import { writePlanOutput } from '../write-plan-output.js';

export interface PlanOptions {
  detailedExitcode?: boolean;
  remote?: boolean;
  allowDestructive?: boolean;
  allowOutside?: boolean;
  force?: boolean;
  changedSince?: string;
}

export async function runPlan(ctx: CommandContext<PlanOptions>): Promise<ExitCode> {
  const now = Date.now;
  let prepared = await preparePlan({
    configPath: ctx.global.config,
    cwd: ctx.cwd,
    env: ctx.env,
    ...(ctx.global.state ? { statePath: ctx.global.state } : {}),
    ...(ctx.global.only ? { only: ctx.global.only } : {}),
    force: ctx.options.force === true,
    allowDestructive: ctx.options.allowDestructive === true,
    allowOutside: ctx.options.allowOutside === true,
    now,
  });
  if (ctx.options.changedSince) prepared = await restrictToChangedSince(prepared, ctx.options.changedSince);
  if (ctx.options.remote) prepared = await checkRemote(prepared, { env: ctx.env, signal: ctx.signal, allowDestructive: ctx.options.allowDestructive === true });
  const warn = (message: string) => {
    if (!ctx.global.quiet) ctx.io.stderr.write(`warning: ${message}\n`);
  };
  await saveHashCache(prepared.config.statePath, prepared.sources.values(), now(), warn);
  writePlanOutput(ctx, prepared.plan, prepared.diagnostics);
  return exitCodeForPlan(prepared.plan, ctx.options.detailedExitcode === true);
}

// `plan`: what apply would do, and why; offline unless --remote.
import type { ExitCode } from '../../core/exit-codes.js';
import { exitCodeForPlan } from '../../run/exit-code.js';
import { plan } from '../../run/plan.js';
import type { CommandContext } from '../context.js';
import { runOptions } from './run-options.js';

export interface PlanCliOptions {
  detailedExitcode?: boolean;
  remote?: boolean;
  allowDestructive?: boolean;
  allowOutside?: boolean;
  force?: boolean;
  changedSince?: string;
}

export async function runPlan(ctx: CommandContext<PlanCliOptions>): Promise<ExitCode> {
  const result = await plan({
    ...runOptions(ctx),
    remote: ctx.options.remote === true,
    force: ctx.options.force === true,
    allowDestructive: ctx.options.allowDestructive === true,
    ...(ctx.options.changedSince ? { changedSince: ctx.options.changedSince } : {}),
  });
  return exitCodeForPlan(result, ctx.options.detailedExitcode === true);
}

// The options every run command passes to the pipeline: where the config and state are, the selection, the reporter.
import { reportTo } from '../../report/reporter.js';
import type { RunOptions } from '../../run/options.js';
import type { CommandContext } from '../context.js';

export function runOptions(ctx: CommandContext<object>): RunOptions {
  return {
    config: ctx.global.config,
    cwd: ctx.cwd,
    env: ctx.env,
    ...(ctx.global.state ? { state: ctx.global.state } : {}),
    ...(ctx.global.only ? { only: ctx.global.only } : {}),
    allowOutside: (ctx.options as { allowOutside?: boolean }).allowOutside === true,
    signal: ctx.signal,
    onEvent: reportTo(ctx.reporter),
  };
}

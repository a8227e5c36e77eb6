// `status`: what the state says per import, and with a token (or --live, which needs one) what Copernica says of it.
import type { ExitCode } from '../../core/exit-codes.js';
import { status } from '../../run/status.js';
import type { CommandContext } from '../context.js';
import { runOptions } from './run-options.js';

export interface StatusCliOptions {
  live?: boolean;
  rows?: string;
}

export async function runStatus(ctx: CommandContext<StatusCliOptions>): Promise<ExitCode> {
  const rows = ctx.options.rows;
  return (await status({ ...runOptions(ctx), live: ctx.options.live === true, ...(rows ? { rows } : {}) }))
    .exitCode;
}

// `copernica-sync validate`: checks imports.yaml and its sources offline; exit 0 when valid, 78 when not.
import { EXIT, type ExitCode } from '../../core/exit-codes.js';
import { validate } from '../../run/validate.js';
import type { CommandContext } from '../context.js';
import { runOptions } from './run-options.js';

export async function runValidate(ctx: CommandContext<{ allowOutside?: boolean }>): Promise<ExitCode> {
  const result = await validate(runOptions(ctx));
  return result.valid ? EXIT.ok : EXIT.config;
}

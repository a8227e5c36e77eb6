// Placeholder until its issue lands: answers "not available yet" with the usage exit code.
import { UsageError } from '../../core/errors.js';
import type { ExitCode } from '../../core/exit-codes.js';

export async function runPlan(): Promise<ExitCode> {
  throw new UsageError('`plan` is not available yet in this version of copernica-sync', {
    hint: 'see the README for the commands this version supports',
  });
}

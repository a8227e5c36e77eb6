// What a run says while it works: reporters turn these into lines, NDJSON or GitHub annotations.
import type { ApplyEvent } from '../apply/events.js';
import type { ImportResult } from '../apply/execute-plan.js';
import type { Diagnostic } from '../core/diagnostic.js';
import type { Plan } from '../plan/types.js';
import type { ApplySummary } from './apply.js';
import type { StatusRow } from './status.js';

export type { ApplyEvent, RunOutcome } from '../apply/events.js';

export type RunEvent =
  /** Problems found, each with its position and hint. */
  | { type: 'diagnostics'; diagnostics: Diagnostic[] }
  /** The plan; `continued` when imports run next (apply). */
  | { type: 'plan'; plan: Plan; continued: boolean }
  | { type: 'warning'; message: string }
  /** imports.yaml is loaded: names the variable that holds the token (GitHub's reporter masks its value). */
  | { type: 'config-loaded'; file: string; tokenEnv: string }
  /** The end of an apply that ran imports. */
  | { type: 'apply-summary'; summary: ApplySummary; results: ImportResult[] }
  /** validate's verdict. */
  /** One import's state (and Copernica's view of it), from `status`. */
  | { type: 'status'; row: StatusRow }
  | {
      type: 'validate-summary';
      file: string;
      valid: boolean;
      imports: number | null;
      errors: number;
      warnings: number;
    }
  | ApplyEvent;

// The Node API: `import { validate, plan, apply } from 'copernica-sync'` runs the same pipeline as the CLI.
// It prints nothing: everything it has to say comes back as data, or as events to `onEvent`; failures that stop
// a run are thrown as CopernicaSyncError with a stable `code`, the CLI's `exitCode` and a `hint`.

export type { Diagnostic, Position, Severity } from './core/diagnostic.js';
export { CopernicaSyncError } from './core/errors.js';
export { EXIT, type ExitCode } from './core/exit-codes.js';
export type { PlanImportEvent } from './plan/import-event.js';
export type { PlannedImport, PlanStatus, PlanSummary, Refusal, RowCounts } from './plan/types.js';
export { type AppliedImportEvent, type ApplyResult, type ApplySummary, apply } from './run/apply.js';
export type { ApplyEvent, RunEvent, RunOutcome } from './run/events.js';
export type { ApplyRunOptions, PlanRunOptions, RunOptions } from './run/options.js';
export { type PlanResult, plan } from './run/plan.js';
export type { RowDrift } from './run/row-drift.js';
export { type StatusOptions, type StatusResult, type StatusRow, status } from './run/status.js';
export { type ValidateResult, validate } from './run/validate.js';

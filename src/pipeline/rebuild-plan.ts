// Recomputes a plan's summary and hash after a later stage (--changed-since, --remote) changed its imports.
import { computePlanHash, summarizePlan } from '../plan/planner.js';
import type { Plan, PlannedImport } from '../plan/types.js';

export function rebuildPlan(imports: PlannedImport[]): Plan {
  return { version: 1, imports, summary: summarizePlan(imports), hash: computePlanHash(imports) };
}

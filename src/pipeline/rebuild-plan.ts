// Recomputes a plan's summary and hash after a later stage (--changed-since, --remote) changed its imports.
import { createHash } from 'node:crypto';
import { canonicalJson } from '../plan/fingerprint.js';
import type { Plan, PlannedImport } from '../plan/types.js';

export function rebuildPlan(imports: PlannedImport[]): Plan {
  const summary = {
    toRun: imports.filter((p) => p.willRun).length,
    unchanged: imports.filter((p) => p.status === 'unchanged').length,
    refused: imports.filter((p) => p.status === 'refused').length,
    invalid: imports.filter((p) => p.status === 'invalid').length,
    total: imports.length,
  };
  const hash = createHash('sha256').update(canonicalJson(imports)).digest('hex');
  return { version: 1, imports, summary, hash };
}

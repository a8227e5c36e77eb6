// An import as `plan --format json` prints it, and as the Node API returns it: the same object.
import type { PlannedImport } from './types.js';

export type PlanImportEvent = { type: 'import'; version: 1 } & PlannedImport;

export function toImportEvent(planned: PlannedImport): PlanImportEvent {
  return { type: 'import', version: 1, ...planned };
}

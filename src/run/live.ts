// The pre-flight (plan --remote, apply): what Copernica says of each import that would run, for the planner.
import { runPreflight } from '../copernica/preflight.js';
import type { LiveImport } from '../plan/types.js';
import type { ImportRecord } from './records.js';
import type { Session } from './session.js';

/** Sets `live` on each record that would run: database ID, live size, unknown database or fields. */
export async function checkLive(session: Session, records: readonly ImportRecord[]): Promise<void> {
  const candidates = records.filter((r) => r.planned?.willRun);
  if (candidates.length === 0) return;
  const result = await runPreflight(
    session.client(),
    candidates.map(({ definition: def, source }) => ({
      name: def.name,
      database: def.database,
      keyFields: def.keyFields,
      header: source?.header,
      action: def.action,
      removeMissing: def.removeMissing,
      rows: source?.rows ?? 0,
      maxDeleteShare: def.safety.maxDeleteShare,
      position: def.position,
    })),
  );
  for (const record of candidates) {
    const name = record.definition.name;
    const databaseId = result.databaseIds.get(name);
    const live: LiveImport = { diagnostics: result.diagnostics.filter((d) => d.importName === name) };
    if (databaseId !== undefined) {
      live.databaseId = databaseId;
      const total = result.liveCounts.get(databaseId);
      if (total !== undefined) live.liveTotal = total;
    }
    record.live = live;
  }
}

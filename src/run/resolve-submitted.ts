// Imports recorded as submitted (--no-wait, a crash, a shutdown) are asked about before anything else runs.
import { isSet } from '../copernica/wait-import.js';
import { recordResolved } from '../state/record-applied.js';
import { recordPrune } from './row-steps.js';
import type { Session } from './session.js';

interface Submitted {
  name: string;
  file?: string;
  id: string;
  /** The import's prune (its token), not the import itself. */
  prune?: string;
}

/** Asks Copernica about each submitted run of these imports and records `finished` or `failed`; a run still going stays submitted. */
export async function resolveSubmitted(session: Session, names: readonly string[]): Promise<void> {
  const submitted = names.flatMap((name) => listSubmitted(session, name));
  if (submitted.length === 0) return;
  const client = session.client();
  for (const run of submitted) {
    const status = await client.getImport(run.id);
    const failed = isSet(status.lasterror);
    const base = {
      type: 'import-resolved' as const,
      name: run.name,
      id: run.id,
      ...(run.file ? { file: run.file } : {}),
    };
    if (!failed && !isSet(status.lastrun)) {
      session.emit({
        ...base,
        outcome: 'submitted',
        message: `still running in Copernica (${String(status.status ?? 'no status')})`,
      });
      continue;
    }
    const outcome = failed ? ('failed' as const) : ('finished' as const);
    const error = failed ? `import ${run.id} failed in Copernica: ${String(status.lasterror)}` : undefined;
    const resolution = { outcome, ...(error ? { error } : {}) };
    if (run.prune) await recordPrune(session, run.name, run.prune, { ...resolution, importId: run.id });
    else await session.writer.update((state) => recordResolved(state, run.name, run.file, resolution));
    session.emit({ ...base, outcome, ...(error ? { message: error } : {}) });
  }
}

function listSubmitted(session: Session, name: string): Submitted[] {
  const entry = session.writer.current.imports[name];
  if (!entry) return [];
  const { prune } = entry;
  const pruning =
    prune?.outcome === 'submitted' && prune.importId
      ? [{ name, id: prune.importId, prune: prune.token }]
      : [];
  const files = Object.entries(entry.perFile ?? {}).flatMap(([file, run]) =>
    run.outcome === 'submitted' && run.importId ? [{ name, file, id: run.importId }] : [],
  );
  if (entry.perFile) return files;
  return [
    ...(entry.outcome === 'submitted' && entry.importId ? [{ name, id: entry.importId }] : []),
    ...pruning,
  ];
}

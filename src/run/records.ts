// Each import travels the pipeline as one record: definition → resolved source → pre-flight → plan entry → outcome.
import type { ImportResult } from '../apply/execute-plan.js';
import type { ImportDefinition } from '../config/types.js';
import { ConfigError, CopernicaSyncError } from '../core/errors.js';
import { EXIT } from '../core/exit-codes.js';
import { selectImports } from '../plan/select-imports.js';
import type { LiveImport, PlannedImport, RowDiff } from '../plan/types.js';
import type { ResolveContext } from '../sources/resolve-source.js';
import { disposeSources, resolveSources } from '../sources/resolve-source.js';
import type { ResolvedSource } from '../sources/types.js';
import type { RecordRows } from './rows.js';
import type { Session } from './session.js';

export interface ImportRecord {
  definition: ImportDefinition;
  source?: ResolvedSource;
  live?: LiveImport;
  planned?: PlannedImport;
  /** The row diff against the previous version (DESIGN.md section 9), when there is one. */
  rows?: RowDiff | RecordRows;
  result?: ImportResult;
}

/** The selected imports (with their dependencies), each with its source resolved: files scanned, commands run. */
export async function resolveRecords(
  session: Session,
  only: string[] | undefined,
  allowOutside: boolean,
  rows: Pick<ResolveContext, 'rowsFor' | 'onScan'> = {},
): Promise<ImportRecord[]> {
  const definitions = selectImports(session.config.imports, only);
  const sources = await resolveSources(definitions, {
    configDir: session.config.dir,
    displayDir: session.cwd,
    cache: session.writer.current.hashCache,
    nowMs: Date.now(),
    allowOutside,
    signal: session.signal,
    ...rows,
  });
  const records = definitions.map((definition) => ({ definition, source: sources.get(definition.name) }));
  if (session.signal.aborted) {
    await disposeRecords(records);
    // A command source was stopped half-way: what it left is no data set to plan with.
    throw new CopernicaSyncError('E_ABORTED', 'interrupted while reading the sources', {
      exitCode: EXIT.interrupted,
    });
  }
  const outside = records
    .flatMap((r) => r.source?.diagnostics ?? [])
    .filter((d) => d.code === 'E_SOURCE_OUTSIDE');
  if (outside.length === 0) return records;
  await disposeRecords(records);
  // Reaching outside the directory of imports.yaml is a configuration error (exit 78), never a skipped import.
  throw new ConfigError(outside, 'a source reaches outside the directory of imports.yaml');
}

/** Command sources keep their output in temp files until the run is over. */
export async function disposeRecords(records: readonly ImportRecord[]): Promise<void> {
  await disposeSources(records.flatMap((r) => (r.source ? [r.source] : [])));
}

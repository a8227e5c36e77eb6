// What apply does with rows (DESIGN.md section 9): send a delta, keep the rows once the import finished (the row
// snapshot), and prune the keys it sent before that the data no longer has, each step safe to be killed at.
import { randomBytes } from 'node:crypto';
import type { ImportDefinition } from '../config/types.js';
import type { ImportRequest, ImportSourceBody } from '../copernica/import-body.js';
import { CopernicaSyncError } from '../core/errors.js';
import { importApiParameters } from '../plan/parameters.js';
import { csvLine } from '../sources/csv-record.js';
import { isBlankKey } from '../sources/key-identity.js';
import { KeyHashTable } from '../sources/key-table.js';
import type { SourceRow } from '../sources/row-types.js';
import { eachChunk } from '../sources/scan-file.js';
import { escapedLength } from '../sources/sent-bytes.js';
import type { ResolvedFile } from '../sources/types.js';
import { createSnapshotWriter, snapshotPath } from '../state/row-snapshot.js';
import type { AppliedRun, StateFile } from '../state/types.js';
import type { ImportRecord } from './records.js';
import { type RecordRows, rowScanOptions } from './rows.js';
import type { Session } from './session.js';

/** The import's record once its rows were diffed against a snapshot or a ref (not just counted). */
function diffed(record: ImportRecord): RecordRows | undefined {
  return record.rows && 'send' in record.rows ? record.rows : undefined;
}

/** send: changes: the added and changed rows with the header, as the import's source; undefined: send all. */
export function deltaSource(record: ImportRecord): ImportSourceBody | undefined {
  const rows = diffed(record);
  const { source, planned, definition: def } = record;
  if (!rows || !source || planned?.sendRows === undefined) return undefined;
  const first = source.files[0];
  const json = first?.format !== 'csv';
  const delimiter = first?.delimiter ?? ',';
  const count = planned.sendRows;
  const head = json ? '[' : csvLine(source.header ?? [], delimiter);
  const bytes = json ? 2 + Math.max(0, count - 1) + rows.deltaBytes : escapedLength(head) + rows.deltaBytes;
  async function* text(): AsyncIterable<string> {
    yield head;
    let sent = 0;
    let pending: string[] = [];
    const onRow = (row: SourceRow, file: ResolvedFile, index: number) => {
      if (rows?.send.get(file.path)?.[index] !== 1) return;
      pending.push(json && sent > 0 ? `,${row.text()}` : row.text());
      sent += 1;
    };
    for await (const _ of eachSourceRow(def, source?.files ?? [], onRow)) {
      if (pending.length > 0) yield pending.join('');
      pending = [];
    }
    if (json) yield ']';
  }
  return { kind: 'inline', format: json ? 'json' : 'csv', ...(json ? {} : { delimiter }), bytes, text };
}

/** The files' rows as the plan read them, a chunk at a time; a file changed since the plan stops it. */
async function* eachSourceRow(
  def: ImportDefinition,
  files: readonly ResolvedFile[],
  onRow: (row: SourceRow, file: ResolvedFile, index: number) => void,
): AsyncIterable<void> {
  for (const file of files) {
    let index = 0;
    for await (const done of eachChunk(file.absPath, rowScanOptions(def, file), (row) =>
      onRow(row, file, index++),
    )) {
      if (done && done.hash !== file.hash) {
        throw new CopernicaSyncError(
          'E_SOURCE_CHANGED',
          `${file.displayPath ?? file.path} changed since the plan`,
          {
            hint: 'run apply again: it plans from the files as they are now',
          },
        );
      }
      yield;
    }
  }
}

/** The rows apply keeps for an import: set in a record only when it keeps rows (a combined keyed import). */
export interface KeptRows {
  /** The prune to send now (the keys the data no longer has), or undefined. */
  prune?: { request: ImportRequest; keys: number; token: string };
}

/**
 * The import finished: write its snapshot (the rows now, then the keys a prune will delete, so a crash
 * before the prune is recorded keeps them), record it in the state, and build the prune.
 */
export async function keepRows(
  session: Session,
  record: ImportRecord,
  databaseId: number,
): Promise<KeptRows> {
  const { definition: def, source } = record;
  if (!source) return {};
  const rows = diffed(record);
  const removed = def.prune && record.planned?.prune ? (rows?.removed ?? []) : [];
  const token = removed.length > 0 ? randomBytes(8).toString('hex') : undefined;
  const path = snapshotPath(session.config.statePath, def.name);
  const files = source.files.map((f) => ({ path: f.path, hash: f.hash }));
  const writer = await createSnapshotWriter(path, {
    keyFields: [...def.keyFields],
    header: [...(source.header ?? [])],
    files,
    ...(token ? { pending: removed.length, pruneToken: token } : {}),
  });
  let count = 0;
  let pruneKeys: string[] = [];
  try {
    // Read before the new snapshot replaces the one they are in.
    if (rows && removed.length > 0) pruneKeys = await rows.previous.keyTexts(removed);
    // The next diff walks a snapshot whose keys are unique in order, without indexing them. The plan proved it
    // when it diffed a row-keyed import against unique keys (a repeat made it invalid); else it is checked here.
    const proven = rows !== undefined && (def.send === 'changes' || def.prune) && rows.previous.uniqueKeys;
    const keys = proven ? undefined : KeyHashTable.acquire();
    keys?.reserve(source.rows + removed.length);
    let repeated = false;
    const keep = (row: SourceRow) => {
      const values = row.keyValues();
      if (isBlankKey(values)) return; // not keyed: no diff can match it, no prune may delete it
      writer.add(values.join('\0'), row.rowHi, row.rowLo);
      count += 1;
      if (keys) repeated ||= keys.add(row.keyHi, row.keyLo, count) !== 0;
    };
    for await (const _ of eachSourceRow(def, source.files, keep)) await writer.drained();
    const previous = rows?.previous;
    removed.forEach((index, i) => {
      const at = index * 2;
      writer.add(pruneKeys[i] ?? '', previous?.hashes[at] as number, previous?.hashes[at + 1] as number);
      if (keys)
        repeated ||=
          keys.add(previous?.keys[at] as number, previous?.keys[at + 1] as number, count + i + 1) !== 0;
    });
    await writer.commit({ uniqueKeys: !repeated && keys?.overflowed !== true });
  } catch (error) {
    await writer.abort();
    // The import went through; only the snapshot is behind: the next delta sends these rows again.
    session.emit({
      type: 'warning',
      message: `${def.name}: the row snapshot was not updated (${(error as Error).message}); the next apply sends these rows again`,
    });
    return {};
  }
  const appliedAt = new Date().toISOString();
  await session.writer.update((state) =>
    updateEntry(state, def.name, (entry) => ({
      ...entry,
      rowSnapshot: { files, rows: count },
      // Recorded before it is sent: a crash from here on never sends these keys a second time.
      ...(token
        ? {
            prune: {
              fingerprint: entry.fingerprint,
              appliedAt,
              outcome: 'unknown' as const,
              error: 'about to be sent',
              rows: removed.length,
              keys: removed.length,
              token,
            },
          }
        : {}),
    })),
  );
  if (!token) return {};
  return {
    prune: { request: pruneRequest(def, databaseId, pruneKeys, token), keys: pruneKeys.length, token },
  };
}

/** A delete of exactly these keys: same keyFields, deleteTarget from them (`Collection.Field`: subprofile). */
function pruneRequest(
  def: ImportDefinition,
  databaseId: number,
  keys: readonly string[],
  token: string,
): ImportRequest {
  const deleteTarget = def.keyFields.some((k) => k.includes('.')) ? 'subprofile' : 'profile';
  const asDelete: ImportDefinition = { ...def, action: 'delete', removeMissing: false, deleteTarget };
  const {
    database: _name,
    format: _format,
    delimiter: _delimiter,
    ...params
  } = importApiParameters(asDelete, {
    format: 'csv',
    delimiter: ',',
  });
  const text = [csvLine(def.keyFields, ','), ...keys.map((k) => csvLine(k.split('\0'), ','))].join('');
  return {
    parameters: { database: databaseId, name: `${def.name} prune ${token}`, ...params },
    source: {
      kind: 'inline',
      format: 'csv',
      delimiter: ',',
      bytes: escapedLength(text),
      text: async function* () {
        yield text;
      },
    },
  };
}

/** The prune's outcome, tied to its snapshot by the token. */
export function recordPrune(
  session: Session,
  name: string,
  token: string,
  run: { outcome: AppliedRun['outcome']; importId?: string; error?: string },
): Promise<void> {
  return session.writer.update((state) =>
    updateEntry(state, name, (entry) => {
      if (entry.prune?.token !== token) return entry;
      const { error: _old, importId: _id, ...rest } = entry.prune;
      return {
        ...entry,
        prune: {
          ...rest,
          outcome: run.outcome,
          appliedAt: new Date().toISOString(),
          ...(run.importId ? { importId: run.importId } : {}),
          ...(run.error ? { error: run.error } : {}),
        },
      };
    }),
  );
}

function updateEntry(
  state: StateFile,
  name: string,
  change: (entry: NonNullable<StateFile['imports'][string]>) => NonNullable<StateFile['imports'][string]>,
): StateFile {
  const entry = state.imports[name];
  if (!entry) return state;
  return { ...state, imports: { ...state.imports, [name]: change(entry) } };
}

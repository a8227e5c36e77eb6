// status --live --rows <import>: the snapshot's rows against the profiles Copernica holds (DESIGN.md section 9).

import { findRemoteDatabase } from '../copernica/preflight.js';
import { matchName } from '../copernica/remote-catalog.js';
import type { RemoteProfile } from '../copernica/types.js';
import { CopernicaSyncError } from '../core/errors.js';
import { EXIT } from '../core/exit-codes.js';
import { RowIndex } from '../plan/row-index.js';
import { hashRowValues, lastRowHash } from '../sources/csv-record.js';
import { hashKeyValues, KEY_BLANK, lastKeyHash } from '../sources/key-identity.js';
import { keepsRows, loadSnapshotRows } from './rows.js';
import type { Session } from './session.js';

export interface RowDrift {
  /** Rows in the snapshot: what this import last sent and Copernica finished. */
  rows: number;
  /** Of those, the ones Copernica has no profile for. */
  missing: number;
  /** The ones whose profile holds other values than the row sent. */
  differ: number;
  /** Up to 10 of the missing and differing keys. */
  examples: string[];
  /** Columns that are no field of the database: they were never stored, so only presence is compared. */
  notFields: string[];
}

/** Pages through the database's profiles once and compares them with the snapshot's hashes. */
export async function checkRowDrift(session: Session, name: string): Promise<RowDrift> {
  const def = session.config.imports.find((d) => d.name === name);
  const entry = session.writer.current.imports[name];
  const previous =
    def && keepsRows(def) ? await loadSnapshotRows(session.config.statePath, entry, def) : undefined;
  if (!def || !previous || def.keyFields.some((k) => k.includes('.'))) {
    throw new CopernicaSyncError('E_USAGE_ROWS', `--rows ${name}: there is no row snapshot of that import`, {
      exitCode: EXIT.usage,
      hint: 'a snapshot is written when a combined import with keyFields (on profile fields) finishes: run apply first',
    });
  }
  const index = new RowIndex(previous.keys, previous.hashes);
  const client = session.client({ signal: session.signal });
  const database = findRemoteDatabase(def.database, await client.listDatabases());
  if (!database) {
    throw new CopernicaSyncError(
      'E_REMOTE_DATABASE',
      `no database "${def.database}" in this Copernica account`,
      {
        exitCode: EXIT.failure,
        hint: 'check `database:` of the import, or run `copernica-sync plan --remote`',
      },
    );
  }
  const fields = (await client.getDatabaseFields(database.ID)).map((f) => f.name);
  // Copernica matches field names case-insensitively, as the pre-flight does.
  const fieldOf = new Map(previous.header.map((column) => [column, matchName(fields, column)]));
  const notFields = previous.header.filter((column) => fieldOf.get(column) === undefined);
  const found = new Uint8Array(previous.count);
  const differing: number[] = [];
  await client.eachProfilePage(database.ID, (page) => {
    for (const profile of page) {
      const value = (column: string) => text(profile, fieldOf.get(column) ?? column);
      if (hashKeyValues(def.keyFields.map(value)) & KEY_BLANK) continue;
      const at = index.indexOf(lastKeyHash[0] as number, lastKeyHash[1] as number);
      if (at < 0 || found[at]) continue;
      found[at] = 1;
      if (notFields.length > 0) continue;
      const hashed = hashRowValues(previous.header.map(value), def.encoding);
      if (
        !hashed ||
        lastRowHash[0] !== previous.hashes[at * 2] ||
        lastRowHash[1] !== previous.hashes[at * 2 + 1]
      )
        differing.push(at);
    }
  });
  const missing: number[] = [];
  for (let i = 0; i < previous.count; i += 1) if (!found[i]) missing.push(i);
  const named = await previous.keyTexts([...missing, ...differing].slice(0, 10));
  const examples = named.map((key) => key.replaceAll('\0', ', '));
  return { rows: previous.count, missing: missing.length, differ: differing.length, examples, notFields };
}

function text(profile: RemoteProfile, field: string): string {
  const value = profile.fields?.[field];
  return value === undefined || value === null ? '' : String(value);
}

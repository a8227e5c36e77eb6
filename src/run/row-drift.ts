// status --live --rows <import>: the snapshot's rows against the profiles Copernica holds (DESIGN.md section 9).
import type { RemoteProfile } from '../copernica/types.js';
import { CopernicaSyncError } from '../core/errors.js';
import { EXIT } from '../core/exit-codes.js';
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

/** Pages through the database's profiles once; holds the snapshot's hashes, not the profiles. */
export async function checkRowDrift(session: Session, name: string): Promise<RowDrift> {
  const def = session.config.imports.find((d) => d.name === name);
  const entry = session.writer.current.imports[name];
  const previous =
    def && keepsRows(def) ? await loadSnapshotRows(session.config.statePath, entry, name) : undefined;
  if (!def || !previous || def.keyFields.some((k) => k.includes('.'))) {
    throw new CopernicaSyncError('E_USAGE_ROWS', `--rows ${name}: there is no row snapshot of that import`, {
      exitCode: EXIT.usage,
      hint: 'a snapshot is written when a combined import with keyFields (on profile fields) finishes: run apply first',
    });
  }
  const index = new Map<string, number>();
  for (let i = 0; i < previous.count; i += 1)
    index.set(`${previous.keys[i * 2]}:${previous.keys[i * 2 + 1]}`, i);
  const client = session.client({ signal: session.signal });
  const databaseId = await resolveDatabase(session, def.database);
  const profiles = await client.listProfiles(databaseId);
  const fieldNames = new Map<string, string>();
  for (const p of profiles) for (const f of Object.keys(p.fields ?? {})) fieldNames.set(f.toLowerCase(), f);
  const notFields = previous.header.filter((c) => profiles.length > 0 && !fieldNames.has(c.toLowerCase()));
  const found = new Uint8Array(previous.count);
  const differing: number[] = [];
  for (const profile of profiles) {
    const value = (column: string) => text(profile, fieldNames.get(column.toLowerCase()) ?? column);
    if (hashKeyValues(def.keyFields.map(value)) & KEY_BLANK) continue;
    const at = index.get(`${lastKeyHash[0]}:${lastKeyHash[1]}`);
    if (at === undefined || found[at]) continue;
    found[at] = 1;
    if (notFields.length > 0) continue;
    hashRowValues(previous.header.map(value));
    if (lastRowHash[0] !== previous.hashes[at * 2] || lastRowHash[1] !== previous.hashes[at * 2 + 1])
      differing.push(at);
  }
  const missing: number[] = [];
  for (let i = 0; i < previous.count; i += 1) if (!found[i]) missing.push(i);
  const examples = [...missing, ...differing]
    .slice(0, 10)
    .map((i) => previous.keyText(i).replaceAll('\0', ', '));
  return { rows: previous.count, missing: missing.length, differ: differing.length, examples, notFields };
}

function text(profile: RemoteProfile, field: string): string {
  const value = profile.fields?.[field];
  return value === undefined || value === null ? '' : String(value);
}

async function resolveDatabase(session: Session, database: number | string): Promise<number | string> {
  if (typeof database === 'number') return database;
  const all = await session.client().listDatabases();
  const match = all.find((d) => String(d.name).toLowerCase() === database.toLowerCase());
  if (!match) {
    throw new CopernicaSyncError('E_REMOTE_DATABASE', `database "${database}" does not exist in Copernica`, {
      exitCode: EXIT.failure,
    });
  }
  return match.ID;
}

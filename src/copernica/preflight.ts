// Checks imports against the live account before anything is sent: database, key fields, columns, delete share.
import type { ImportAction } from '../config/types.js';
import { createDiagnostic, type Diagnostic, type Position } from '../core/diagnostic.js';
import type { Refusal } from '../plan/types.js';
import { createRemoteCatalog, findNamed, type RemoteCatalog } from './remote-catalog.js';
import type { CopernicaClient, RemoteItem } from './types.js';

export interface PreflightImport {
  name: string;
  database: number | string;
  keyFields: string[];
  header: string[] | undefined;
  action: ImportAction;
  removeMissing: boolean;
  rows: number;
  maxDeleteShare: number;
  position?: Position;
}

export interface PreflightResult {
  /** import name → database ID. */
  databaseIds: Map<string, number>;
  /** database ID → live profile count. */
  liveCounts: Map<number, number>;
  diagnostics: Diagnostic[];
  /** import name → guards it trips. */
  refusals: Map<string, Refusal[]>;
}

/** The share guard applies only once a database holds this many profiles. */
export const GUARD_MIN_PROFILES = 10;

export async function runPreflight(
  client: CopernicaClient,
  imports: PreflightImport[],
): Promise<PreflightResult> {
  const result: PreflightResult = {
    databaseIds: new Map(),
    liveCounts: new Map(),
    diagnostics: [],
    refusals: new Map(),
  };
  if (imports.length === 0) return result;
  const catalog = createRemoteCatalog(client);
  const databases = await client.listDatabases();
  for (const item of imports) {
    const database = findRemoteDatabase(item.database, databases);
    if (database === undefined) {
      result.diagnostics.push(missingDatabase(item, databases));
      continue;
    }
    const id = Number(database.ID);
    if (isCaseOnly(String(item.database), database.name)) {
      result.diagnostics.push(caseDiffers(item, `database "${item.database}"`, `"${database.name}"`));
    }
    result.databaseIds.set(item.name, id);
    result.diagnostics.push(...(await checkFields(item, id, catalog)));
    const total = await catalog.liveCount(id);
    result.liveCounts.set(id, total);
    const refusals = checkDeleteShare(item, total);
    if (refusals.length > 0) result.refusals.set(item.name, refusals);
  }
  return result;
}

/** By ID, else by name: the exact name first, then one that differs only in letter case. */
export function findRemoteDatabase(
  database: number | string,
  databases: RemoteItem[],
): RemoteItem | undefined {
  const wanted = String(database).trim();
  if (/^\d+$/.test(wanted)) return databases.find((db) => String(db.ID) === wanted);
  return findNamed(databases, wanted);
}

async function checkFields(
  item: PreflightImport,
  databaseId: number,
  catalog: RemoteCatalog,
): Promise<Diagnostic[]> {
  const out: Diagnostic[] = [];
  const columns = (item.header ?? []).filter((c) => !/^interest\./i.test(c) && !item.keyFields.includes(c));
  for (const name of [...item.keyFields, ...columns]) {
    const isKey = item.keyFields.includes(name);
    const what = isKey ? `key field "${name}"` : `column "${name}"`;
    const lookup = await catalog.findField(databaseId, name);
    if (lookup.found) {
      if (lookup.name !== name) out.push(caseDiffers(item, what, `field "${lookup.name}"`));
    } else if (isKey) {
      out.push(diag(item, 'error', 'E_REMOTE_KEY_FIELD', `${what}: ${lookup.reason}`));
    } else {
      out.push(
        diag(item, 'warning', 'E_REMOTE_UNKNOWN_COLUMN', `${what}: ${lookup.reason}; Copernica ignores it`),
      );
    }
  }
  return out;
}

function isCaseOnly(given: string, actual: string): boolean {
  return given.trim() !== actual && !/^\d+$/.test(given.trim());
}

/** Copernica matches names without regard to case (seen live), so a case-only difference is a warning. */
function caseDiffers(item: PreflightImport, given: string, actual: string): Diagnostic {
  const message = `${given} is ${actual} in Copernica (letter case differs)`;
  const hint = 'Copernica matches names regardless of letter case; use its spelling to silence this warning';
  return diag(item, 'warning', 'E_REMOTE_NAME_CASE', message, hint);
}

/** removeMissing deletes at least (live - rows) profiles; delete removes at most `rows`: both capped by a share. */
export function checkDeleteShare(item: PreflightImport, liveTotal: number): Refusal[] {
  if (liveTotal < GUARD_MIN_PROFILES) return [];
  const refusals: Refusal[] = [];
  const percent = (share: number): string => `${Math.round(share * 100)}%`;
  const refuseAbove = (deletes: string, share: number): void => {
    if (share > item.maxDeleteShare) {
      const message = `${deletes} of ${liveTotal} profiles (${percent(share)}), more than maxDeleteShare ${percent(item.maxDeleteShare)}`;
      const hint = 'pass --allow-destructive to run it anyway, or raise safety.maxDeleteShare';
      refusals.push({ code: 'E_GUARD_DELETE_SHARE', message, hint });
    }
  };
  if (item.removeMissing) {
    const deleted = liveTotal - item.rows;
    refuseAbove(`removeMissing would delete at least ${deleted}`, Math.max(0, deleted) / liveTotal);
  }
  if (item.action === 'delete') refuseAbove(`delete could remove ${item.rows}`, item.rows / liveTotal);
  return refusals;
}

function missingDatabase(item: PreflightImport, databases: RemoteItem[]): Diagnostic {
  const names = databases.map((db) => `${db.name} (${db.ID})`);
  const shown = names.slice(0, 20).join(', ') + (names.length > 20 ? ', …' : '');
  const hint = names.length > 0 ? `databases that exist: ${shown}` : 'the account has no databases';
  return diag(
    item,
    'error',
    'E_REMOTE_DATABASE',
    `no database "${item.database}" in this Copernica account`,
    hint,
  );
}

function diag(
  item: PreflightImport,
  severity: 'error' | 'warning',
  code: string,
  message: string,
  hint?: string,
): Diagnostic {
  return createDiagnostic(severity, code, message, {
    importName: item.name,
    ...(item.position ? { position: item.position } : {}),
    ...(hint === undefined ? {} : { hint }),
  });
}

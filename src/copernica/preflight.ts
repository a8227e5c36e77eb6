// Checks imports against the live account before anything is sent: database, key fields, columns, delete share.
import type { ImportAction } from '../config/types.js';
import { createDiagnostic, type Diagnostic, type Position } from '../core/diagnostic.js';
import type { Refusal } from '../plan/types.js';
import { createRemoteCatalog, type RemoteCatalog } from './remote-catalog.js';
import type { CopernicaClient, RemoteDatabase } from './types.js';

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
    const id = resolveDatabaseId(item.database, databases);
    if (id === undefined) {
      result.diagnostics.push(missingDatabase(item, databases));
      continue;
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

export function resolveDatabaseId(
  database: number | string,
  databases: RemoteDatabase[],
): number | undefined {
  const wanted = String(database).trim();
  const byId = databases.find((db) => String(db.ID) === wanted);
  if (byId && /^\d+$/.test(wanted)) return Number(byId.ID);
  const byName = databases.find((db) => db.name === wanted);
  return byName ? Number(byName.ID) : undefined;
}

async function checkFields(
  item: PreflightImport,
  databaseId: number,
  catalog: RemoteCatalog,
): Promise<Diagnostic[]> {
  const out: Diagnostic[] = [];
  for (const key of item.keyFields) {
    const problem = await catalog.explainUnknown(databaseId, key);
    if (problem) out.push(diag(item, 'error', 'E_REMOTE_KEY_FIELD', `key field "${key}": ${problem}`));
  }
  for (const column of item.header ?? []) {
    if (/^interest\./i.test(column) || item.keyFields.includes(column)) continue;
    const problem = await catalog.explainUnknown(databaseId, column);
    if (problem) {
      out.push(
        diag(
          item,
          'warning',
          'E_REMOTE_UNKNOWN_COLUMN',
          `column "${column}": ${problem}; Copernica ignores it`,
        ),
      );
    }
  }
  return out;
}

/** removeMissing deletes at least (live - rows) profiles; delete removes at most `rows`: both capped by a share. */
export function checkDeleteShare(item: PreflightImport, liveTotal: number): Refusal[] {
  if (liveTotal < GUARD_MIN_PROFILES) return [];
  const refusals: Refusal[] = [];
  const percent = (share: number): string => `${Math.round(share * 100)}%`;
  const hint = 'pass --allow-destructive to run it anyway, or raise safety.maxDeleteShare';
  if (item.removeMissing) {
    const share = Math.max(0, liveTotal - item.rows) / liveTotal;
    if (share > item.maxDeleteShare) {
      const message = `removeMissing would delete at least ${liveTotal - item.rows} of ${liveTotal} profiles (${percent(share)}), more than maxDeleteShare ${percent(item.maxDeleteShare)}`;
      refusals.push({ code: 'E_GUARD_DELETE_SHARE', message, hint });
    }
  }
  if (item.action === 'delete') {
    const share = item.rows / liveTotal;
    if (share > item.maxDeleteShare) {
      const message = `delete could remove ${item.rows} of ${liveTotal} profiles (${percent(share)}), more than maxDeleteShare ${percent(item.maxDeleteShare)}`;
      refusals.push({ code: 'E_GUARD_DELETE_SHARE', message, hint });
    }
  }
  return refusals;
}

function missingDatabase(item: PreflightImport, databases: RemoteDatabase[]): Diagnostic {
  const names = databases.map((db) => `${db.name} (${db.ID})`);
  const shown = names.slice(0, 20).join(', ') + (names.length > 20 ? ', …' : '');
  return diag(
    item,
    'error',
    'E_REMOTE_DATABASE',
    `no database "${item.database}" in this Copernica account`,
    {
      hint: names.length > 0 ? `databases that exist: ${shown}` : 'the account has no databases',
    },
  );
}

function diag(
  item: PreflightImport,
  severity: 'error' | 'warning',
  code: string,
  message: string,
  extra: { hint?: string } = {},
): Diagnostic {
  return createDiagnostic(severity, code, message, {
    importName: item.name,
    ...(item.position ? { position: item.position } : {}),
    ...extra,
  });
}

// Maps an import's columns and keyFields onto a database's fields and collections, case-insensitively.
import { ImportSourceError } from './import-source.js';
import type { CollectionRecord, DatabaseRecord, FieldRecord } from './types.js';

export type ColumnTarget =
  | { kind: 'profile'; field: FieldRecord }
  | { kind: 'subprofile'; collection: CollectionRecord; field: FieldRecord };

export interface KeyPlan {
  /** Column indexes of the profile key fields. */
  profileKeys: number[];
  /** Column indexes of the subprofile key fields (all of one collection). */
  subKeys: number[];
  subCollection: CollectionRecord | undefined;
}

export function resolveKeys(db: DatabaseRecord, columns: string[], keyFields: string[]): KeyPlan {
  const plan: KeyPlan = { profileKeys: [], subKeys: [], subCollection: undefined };
  const lowered = columns.map((c) => c.toLowerCase());
  for (const key of keyFields) {
    const target = resolveColumn(db, key);
    if (!target) throw new ImportSourceError(`Key field ${key} does not exist in database ${db.name}`);
    const index = lowered.indexOf(key.toLowerCase());
    if (index < 0) throw new ImportSourceError(`Key field ${key} is not in the data`);
    if (target.kind === 'profile') {
      plan.profileKeys.push(index);
      continue;
    }
    if (plan.subCollection && plan.subCollection !== target.collection) {
      throw new ImportSourceError('Subprofile key fields must all belong to one collection');
    }
    plan.subCollection = target.collection;
    plan.subKeys.push(index);
  }
  return plan;
}

/** Undefined for a name that is no field: an unknown column, which an import ignores. */
export function resolveColumn(db: DatabaseRecord, name: string): ColumnTarget | undefined {
  const field = findByName(db.fields, name);
  if (field) return { kind: 'profile', field };
  const dot = name.indexOf('.');
  const collection = dot < 0 ? undefined : findByName(db.collections, name.slice(0, dot));
  const subField = collection && findByName(collection.fields, name.slice(dot + 1));
  return collection && subField ? { kind: 'subprofile', collection, field: subField } : undefined;
}

function findByName<T extends { name: string }>(list: T[], name: string): T | undefined {
  return list.find((item) => item.name.toLowerCase() === name.toLowerCase());
}

/** Key values compare case-insensitively (MySQL's default collation); change here if Copernica differs. */
export function keyOf(row: string[], indexes: number[]): string {
  return indexes.map((i) => (row[i] ?? '').toLowerCase()).join('\u0000');
}

// The API's JSON shapes: IDs and numbers as strings, `false` for absent timestamps, paged lists.
import type {
  CollectionRecord,
  DatabaseRecord,
  FieldRecord,
  ImportRecord,
  ProfileRecord,
  SubprofileRecord,
} from './types.js';

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;

/** `start`, `limit` (at most 1000) and `total` from the query; `total` is only there when asked for. */
export function renderPage<T>(items: T[], query: URLSearchParams): Record<string, unknown> {
  const start = positiveNumber(query.get('start'), 0);
  const limit = Math.min(positiveNumber(query.get('limit'), DEFAULT_LIMIT), MAX_LIMIT);
  const data = items.slice(start, start + limit);
  const page: Record<string, unknown> = { start, limit, count: data.length };
  if (query.get('total') === 'true' || query.get('total') === '1') page.total = items.length;
  page.data = data;
  return page;
}

function positiveNumber(raw: string | null, fallback: number): number {
  const value = Number.parseInt(raw ?? '', 10);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

/** Embedded lists (a database's fields) come whole. */
function renderWhole<T>(items: T[]): Record<string, unknown> {
  return { start: 0, limit: items.length, count: items.length, total: items.length, data: items };
}

export function renderField(field: FieldRecord): Record<string, unknown> {
  return {
    ID: String(field.id),
    name: field.name,
    type: field.type,
    value: field.value,
    displayed: true,
    ordered: false,
    length: '255',
    textlines: '1',
    hidden: false,
    index: false,
  };
}

export function renderCollection(collection: CollectionRecord, db: DatabaseRecord): Record<string, unknown> {
  const { id, name, fields } = collection;
  return { ID: String(id), name, database: String(db.id), fields: renderWhole(fields.map(renderField)) };
}

export function renderDatabase(db: DatabaseRecord): Record<string, unknown> {
  return {
    ID: String(db.id),
    name: db.name,
    description: db.description,
    archived: false,
    created: db.created,
    fields: renderWhole(db.fields.map(renderField)),
    interests: renderWhole([]),
    collections: renderWhole(db.collections.map((c) => renderCollection(c, db))),
  };
}

export function renderProfile(profile: ProfileRecord): Record<string, unknown> {
  return {
    ID: String(profile.id),
    fields: { ...profile.fields },
    interests: [],
    database: String(profile.databaseId),
    secret: profile.secret,
    created: profile.created,
    modified: profile.modified,
    removed: false,
  };
}

export function renderSubprofile(sub: SubprofileRecord): Record<string, unknown> {
  return {
    ID: String(sub.id),
    secret: sub.secret,
    fields: { ...sub.fields },
    profile: String(sub.profileId),
    collection: String(sub.collectionId),
    created: sub.created,
    modified: sub.modified,
    removed: false,
  };
}

export function renderImport(record: ImportRecord): Record<string, unknown> {
  return {
    ID: String(record.id),
    name: record.name,
    type: record.action,
    status: record.status,
    totallines: String(record.totallines),
    processedlines: String(record.processedlines),
    lastrun: record.lastrun,
    nextrun: false,
    lasterror: record.lasterror,
  };
}

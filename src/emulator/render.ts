// The API's JSON shapes: IDs and numbers as strings, `false` for absent timestamps, paged lists.
import type {
  CollectionRecord,
  DatabaseRecord,
  FieldRecord,
  ImportRecord,
  ProfileRecord,
  SubprofileRecord,
} from './types.js';

export interface Paging {
  start: number;
  limit: number;
  total: boolean;
}

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;

export function parsePaging(query: URLSearchParams): Paging {
  const start = Number.parseInt(query.get('start') ?? '0', 10);
  const limit = Number.parseInt(query.get('limit') ?? String(DEFAULT_LIMIT), 10);
  return {
    start: Number.isFinite(start) && start > 0 ? start : 0,
    limit: Number.isFinite(limit) && limit > 0 ? Math.min(limit, MAX_LIMIT) : DEFAULT_LIMIT,
    total: query.get('total') === 'true' || query.get('total') === '1',
  };
}

/** `total` is only there when asked for, as on Copernica. */
export function renderPage<T>(items: T[], paging: Paging): Record<string, unknown> {
  const data = items.slice(paging.start, paging.start + paging.limit);
  const page: Record<string, unknown> = { start: paging.start, limit: paging.limit, count: data.length };
  if (paging.total) page.total = items.length;
  page.data = data;
  return page;
}

/** Embedded lists (a database's fields) come whole. */
function renderWhole<T>(items: T[]): Record<string, unknown> {
  return renderPage(items, { start: 0, limit: items.length, total: true });
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
  return {
    ID: String(collection.id),
    name: collection.name,
    database: String(db.id),
    fields: renderWhole(collection.fields.map(renderField)),
  };
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

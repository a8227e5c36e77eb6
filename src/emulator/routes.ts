// The REST routes of DESIGN.md section 6, after authentication: path segments in, an ApiResponse out.
import { type ApiResponse, errorResponse, jsonResponse, MESSAGES } from './api-response.js';
import { type FieldFilter, matchesFilters, parseFilter } from './filters.js';
import type { ImportJobs } from './import-jobs.js';
import { parseImportRequest } from './import-request.js';
import {
  parsePaging,
  renderCollection,
  renderDatabase,
  renderField,
  renderImport,
  renderPage,
  renderProfile,
  renderSubprofile,
} from './render.js';
import type { EmulatorStore } from './store.js';
import type { DatabaseRecord, ProfileRecord } from './types.js';

export interface RouteContext {
  store: EmulatorStore;
  jobs: ImportJobs;
  /** Base URL with the version, for X-location, e.g. http://127.0.0.1:8787/v3. */
  baseUrl: string;
  /** An injected fault: the import is accepted, then fails while it runs. */
  failImport?: boolean;
}

export interface RouteRequest {
  method: string;
  segments: string[];
  query: URLSearchParams;
  body: Record<string, unknown> | undefined;
}

export function handleRoute(ctx: RouteContext, req: RouteRequest): ApiResponse {
  const [head, id, sub, ...rest] = req.segments;
  if (rest.length > 0) return errorResponse(MESSAGES.invalidMethod);
  if (req.method === 'POST' && head === 'imports' && id === undefined) return createImport(ctx, req.body);
  if (req.method !== 'GET') return errorResponse(MESSAGES.invalidMethod);
  if (head === 'identity' && id === undefined) return identity(ctx);
  if (head === 'databases' && id === undefined) return listDatabases(ctx, req.query);
  if (head === 'database' && id !== undefined) return databaseRoute(ctx, id, sub, req.query);
  if (head === 'collection' && id !== undefined) return collectionRoute(ctx, id, sub, req.query);
  if (head === 'import' && id !== undefined && sub === undefined) return getImport(ctx, id);
  return errorResponse(MESSAGES.invalidMethod);
}

function identity(ctx: RouteContext): ApiResponse {
  const { name, description, company } = ctx.store.data.identity;
  return jsonResponse({ ID: '1', name, description, company });
}

function listDatabases(ctx: RouteContext, query: URLSearchParams): ApiResponse {
  return jsonResponse(renderPage(ctx.store.data.databases.map(renderDatabase), parsePaging(query)));
}

function databaseRoute(ctx: RouteContext, id: string, sub: string | undefined, query: URLSearchParams) {
  const db = ctx.store.findDatabase(id);
  if (!db) return errorResponse(MESSAGES.noDatabase);
  const paging = parsePaging(query);
  switch (sub) {
    case undefined:
      return jsonResponse(renderDatabase(db));
    case 'fields':
      return jsonResponse(renderPage(db.fields.map(renderField), paging));
    case 'collections':
      return jsonResponse(
        renderPage(
          db.collections.map((c) => renderCollection(c, db)),
          paging,
        ),
      );
    case 'profiles':
      return jsonResponse(renderPage(selectProfiles(ctx, db, query).map(renderProfile), paging));
    case 'profileids':
      return jsonResponse(selectProfiles(ctx, db, query).map((p) => String(p.id)));
    default:
      return errorResponse(MESSAGES.invalidMethod);
  }
}

function collectionRoute(ctx: RouteContext, id: string, sub: string | undefined, query: URLSearchParams) {
  const found = ctx.store.findCollection(id);
  if (!found) return errorResponse(MESSAGES.noCollection);
  const paging = parsePaging(query);
  if (sub === undefined) return jsonResponse(renderCollection(found.collection, found.database));
  if (sub === 'fields') return jsonResponse(renderPage(found.collection.fields.map(renderField), paging));
  if (sub !== 'subprofiles') return errorResponse(MESSAGES.invalidMethod);
  const filters = readFilters(query);
  const subs = ctx.store.data.subprofiles.filter(
    (s) => s.collectionId === found.collection.id && matchesFilters(s.fields, filters),
  );
  return jsonResponse(renderPage(subs.map(renderSubprofile), paging));
}

function selectProfiles(ctx: RouteContext, db: DatabaseRecord, query: URLSearchParams): ProfileRecord[] {
  const filters = readFilters(query);
  const profiles = ctx.store.data.profiles.filter(
    (p) => p.databaseId === db.id && matchesFilters(p.fields, filters),
  );
  return sortProfiles(profiles, query.get('orderby'), query.get('order'));
}

function readFilters(query: URLSearchParams): FieldFilter[] {
  return [...query.getAll('fields[]'), ...query.getAll('fields')]
    .map(parseFilter)
    .filter((f): f is FieldFilter => f !== undefined);
}

function sortProfiles(
  profiles: ProfileRecord[],
  orderBy: string | null,
  order: string | null,
): ProfileRecord[] {
  const direction = order?.toLowerCase() === 'desc' ? -1 : 1;
  const sortValue = (p: ProfileRecord): string | number =>
    !orderBy || orderBy.toLowerCase() === 'id' ? p.id : (p.fields[orderBy] ?? '');
  return [...profiles].sort((a, b) => {
    const va = sortValue(a);
    const vb = sortValue(b);
    return (va < vb ? -1 : va > vb ? 1 : 0) * direction || a.id - b.id;
  });
}

function getImport(ctx: RouteContext, id: string): ApiResponse {
  const record = ctx.store.data.imports.find((i) => String(i.id) === id);
  return record ? jsonResponse(renderImport(record)) : errorResponse(MESSAGES.noImport);
}

/** 201, an empty body and the new ID in X-Created, as Copernica answers a POST. */
function createImport(ctx: RouteContext, body: Record<string, unknown> | undefined): ApiResponse {
  if (!body) return errorResponse(`${MESSAGES.invalidData}: the body is not JSON or form data`);
  const parsed = parseImportRequest(body);
  if (!parsed.ok) return errorResponse(`${MESSAGES.invalidData}: ${parsed.detail}`);
  const db = /^\d+$/.test(parsed.request.database)
    ? ctx.store.findDatabase(parsed.request.database)
    : undefined;
  if (!db) return errorResponse(MESSAGES.noDatabase);
  const record = ctx.jobs.create(parsed.request, db, ctx.failImport === true);
  const id = String(record.id);
  return { status: 201, headers: { 'x-created': id, 'x-location': `${ctx.baseUrl}/import/${id}` }, body: '' };
}

// The REST routes of DESIGN.md section 6, after authentication: path segments in, an ApiResponse out.

import { matchesFilters, parseFilters } from './filters.js';
import { type ApiResponse, errorResponse, jsonResponse, MESSAGES } from './http-messages.js';
import type { ImportJobs } from './import-jobs.js';
import { parseImportRequest } from './import-request.js';
import {
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
  failImport: boolean;
}

export interface RouteRequest {
  method: string;
  segments: string[];
  query: URLSearchParams;
  body: Record<string, unknown> | undefined;
}

export function handleRoute(ctx: RouteContext, req: RouteRequest): ApiResponse {
  const [head, id, sub, ...rest] = req.segments;
  const { data } = ctx.store;
  if (rest.length > 0) return errorResponse(MESSAGES.invalidMethod);
  if (req.method === 'POST' && head === 'imports' && id === undefined) return createImport(ctx, req.body);
  if (req.method !== 'GET') return errorResponse(MESSAGES.invalidMethod);
  if (head === 'identity' && id === undefined) return jsonResponse({ ID: '1', ...data.identity });
  if (head === 'databases' && id === undefined)
    return pageResponse(data.databases.map(renderDatabase), req.query);
  if (head === 'database' && id !== undefined) return databaseRoute(ctx, id, sub, req.query);
  if (head === 'collection' && id !== undefined) return collectionRoute(ctx, id, sub, req.query);
  if (head !== 'import' || id === undefined || sub !== undefined)
    return errorResponse(MESSAGES.invalidMethod);
  const record = data.imports.find((i) => String(i.id) === id);
  return record ? jsonResponse(renderImport(record)) : errorResponse(MESSAGES.noImport);
}

function databaseRoute(ctx: RouteContext, id: string, sub: string | undefined, query: URLSearchParams) {
  const db = ctx.store.findDatabase(id);
  if (!db) return errorResponse(MESSAGES.noDatabase);
  if (sub === undefined) return jsonResponse(renderDatabase(db));
  if (sub === 'fields') return pageResponse(db.fields.map(renderField), query);
  if (sub === 'collections')
    return pageResponse(
      db.collections.map((c) => renderCollection(c, db)),
      query,
    );
  if (sub === 'profiles') return pageResponse(selectProfiles(ctx, db, query).map(renderProfile), query);
  if (sub === 'profileids') return jsonResponse(selectProfiles(ctx, db, query).map((p) => String(p.id)));
  return errorResponse(MESSAGES.invalidMethod);
}

function collectionRoute(ctx: RouteContext, id: string, sub: string | undefined, query: URLSearchParams) {
  const found = ctx.store.findCollection(id);
  if (!found) return errorResponse(MESSAGES.noCollection);
  const { collection, database } = found;
  if (sub === undefined) return jsonResponse(renderCollection(collection, database));
  if (sub === 'fields') return pageResponse(collection.fields.map(renderField), query);
  if (sub !== 'subprofiles') return errorResponse(MESSAGES.invalidMethod);
  const filters = parseFilters(query);
  const subs = ctx.store.data.subprofiles.filter(
    (s) => s.collectionId === collection.id && matchesFilters(s.fields, filters),
  );
  return pageResponse(subs.map(renderSubprofile), query);
}

function pageResponse(items: unknown[], query: URLSearchParams): ApiResponse {
  return jsonResponse(renderPage(items, query));
}

/** Filtered by `fields[]`, sorted by `orderby` (a field or the ID) and `order`, ties by ID. */
function selectProfiles(ctx: RouteContext, db: DatabaseRecord, query: URLSearchParams): ProfileRecord[] {
  const filters = parseFilters(query);
  const orderBy = query.get('orderby');
  const direction = query.get('order')?.toLowerCase() === 'desc' ? -1 : 1;
  const sortValue = (p: ProfileRecord): string | number =>
    !orderBy || orderBy.toLowerCase() === 'id' ? p.id : (p.fields[orderBy] ?? '');
  return ctx.store.data.profiles
    .filter((p) => p.databaseId === db.id && matchesFilters(p.fields, filters))
    .sort((a, b) => {
      const va = sortValue(a);
      const vb = sortValue(b);
      return (va < vb ? -1 : va > vb ? 1 : 0) * direction || a.id - b.id;
    });
}

/** 201, an empty body and the new ID in X-Created, as Copernica answers a POST. */
function createImport(ctx: RouteContext, body: Record<string, unknown> | undefined): ApiResponse {
  if (!body) return errorResponse(`${MESSAGES.invalidData}: the body is not JSON or form data`);
  const request = parseImportRequest(body);
  if (typeof request === 'string') return errorResponse(`${MESSAGES.invalidData}: ${request}`);
  const db = /^\d+$/.test(request.database) ? ctx.store.findDatabase(request.database) : undefined;
  if (!db) return errorResponse(MESSAGES.noDatabase);
  const id = String(ctx.jobs.create(request, db, ctx.failImport).id);
  return { status: 201, headers: { 'x-created': id, 'x-location': `${ctx.baseUrl}/import/${id}` }, body: '' };
}

// The REST API of DESIGN.md section 6: authentication, then the routes; a request in, an ApiResponse out.
import type { IncomingHttpHeaders } from 'node:http';
import { authenticate, isValidAccessToken, isValidBearer } from './auth.js';
import { matchesFilters, parseFilters } from './filters.js';
import { type ApiResponse, errorResponse, jsonResponse, MESSAGES, parseBody } from './http-messages.js';
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
  token: string;
  /** The server's URL, for X-location. */
  url: string;
}

export interface ApiRequest {
  method: string;
  /** Without extra slashes, e.g. /v3/database/1. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** An injected fault: an import is accepted, then fails while it runs. */
  failImport: boolean;
}

export function handleRequest(ctx: RouteContext, req: ApiRequest): ApiResponse {
  const [version, ...segments] = req.path.split('/').filter(Boolean);
  const now = ctx.store.now();
  const isAuthenticate = version === 'authenticate' && segments.length === 0 && req.method === 'POST';
  if (isAuthenticate) return authenticate(req.body, ctx.token, now);
  if (version !== 'v3' && version !== 'v4') return errorResponse(MESSAGES.invalidMethod);
  // v4 takes the Bearer JWT, or the token in the query as Copernica's own v4 examples send it.
  const bearer = version === 'v4' ? req.headers.authorization : undefined;
  const tokenGiven = req.query.get('access_token');
  if (!isValidAccessToken(tokenGiven, ctx.token) && !isValidBearer(bearer, ctx.token, now))
    return errorResponse(MESSAGES.invalidToken);
  const [head, id, sub, ...rest] = segments;
  if (rest.length > 0) return errorResponse(MESSAGES.invalidMethod);
  if (req.method === 'POST' && head === 'imports' && id === undefined) return createImport(ctx, req, version);
  if (req.method !== 'GET') return errorResponse(MESSAGES.invalidMethod);
  const { data } = ctx.store;
  if (head === 'identity' && id === undefined) return jsonResponse({ ID: '1', ...data.identity });
  if (head === 'databases' && id === undefined) return pageResponse(req, data.databases.map(renderDatabase));
  if (head === 'database' && id !== undefined) return databaseRoute(ctx, req, id, sub);
  if (head === 'collection' && id !== undefined) return collectionRoute(ctx, req, id, sub);
  if (head !== 'import' || id === undefined || sub !== undefined)
    return errorResponse(MESSAGES.invalidMethod);
  const record = data.imports.find((i) => String(i.id) === id);
  return record ? jsonResponse(renderImport(record)) : errorResponse(MESSAGES.noImport);
}

function databaseRoute(ctx: RouteContext, req: ApiRequest, id: string, sub?: string): ApiResponse {
  const db = ctx.store.findDatabase(id);
  if (!db) return errorResponse(MESSAGES.noDatabase);
  if (sub === undefined) return jsonResponse(renderDatabase(db));
  if (sub === 'fields') return pageResponse(req, db.fields.map(renderField));
  if (sub === 'collections')
    return pageResponse(
      req,
      db.collections.map((c) => renderCollection(c, db)),
    );
  if (sub === 'profiles') return pageResponse(req, selectProfiles(ctx, db, req.query).map(renderProfile));
  if (sub === 'profileids') return jsonResponse(selectProfiles(ctx, db, req.query).map((p) => String(p.id)));
  return errorResponse(MESSAGES.invalidMethod);
}

function collectionRoute(ctx: RouteContext, req: ApiRequest, id: string, sub?: string): ApiResponse {
  const found = ctx.store.findCollection(id);
  if (!found) return errorResponse(MESSAGES.noCollection);
  const { collection, database } = found;
  if (sub === undefined) return jsonResponse(renderCollection(collection, database));
  if (sub === 'fields') return pageResponse(req, collection.fields.map(renderField));
  if (sub !== 'subprofiles') return errorResponse(MESSAGES.invalidMethod);
  const filters = parseFilters(req.query);
  const subs = ctx.store.data.subprofiles.filter(
    (s) => s.collectionId === collection.id && matchesFilters(s.fields, filters),
  );
  return pageResponse(req, subs.map(renderSubprofile));
}

function pageResponse(req: ApiRequest, items: unknown[]): ApiResponse {
  return jsonResponse(renderPage(items, req.query));
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
function createImport(ctx: RouteContext, req: ApiRequest, version: string): ApiResponse {
  const body = parseBody(req.body, req.headers['content-type']);
  if (!body) return errorResponse(`${MESSAGES.invalidData}: the body is not JSON or form data`);
  const request = parseImportRequest(body);
  if (typeof request === 'string') return errorResponse(`${MESSAGES.invalidData}: ${request}`);
  const db = /^\d+$/.test(request.database) ? ctx.store.findDatabase(request.database) : undefined;
  if (!db) return errorResponse(MESSAGES.noDatabase);
  const id = String(ctx.jobs.create(request, db, req.failImport).id);
  const location = `${ctx.url}/${version}/import/${id}`;
  return { status: 201, headers: { 'x-created': id, 'x-location': location }, body: '' };
}

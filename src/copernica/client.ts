// The one module that talks HTTP to Copernica: URLs, auth (v3 query token, v4 JWT), JSON, paging, imports.
import { setTimeout as delay } from 'node:timers/promises';
import { Agent } from 'undici';
import { createApiError } from './api-error.js';
import { fetchJwt } from './authenticate.js';
import { createImportBody, type ImportRequest, importBodyLength } from './import-body.js';
import { normalizeImportStatus } from './import-progress.js';
import { createJwtCache, type JwtCache } from './jwt-cache.js';
import { readCreatedId } from './response-text.js';
import { type RequestSpec, type RetryContext, sendWithRetry } from './send-with-retry.js';
import type {
  ClientOptions,
  CopernicaClient,
  CreateImportOptions,
  ImportStatus,
  ListPage,
  RemoteCollection,
  RemoteDatabase,
  RemoteField,
  RemoteIdentity,
} from './types.js';
import { assertSafeUrl } from './url-guard.js';
import { waitForImportDone } from './wait-import.js';

export type {
  ClientEvent,
  ClientOptions,
  CopernicaClient,
  CreateImportOptions,
  ImportStatus,
  RemoteCollection,
  RemoteDatabase,
  RemoteField,
  RemoteIdentity,
  WaitOptions,
} from './types.js';

export const PAGE_LIMIT = 1000;
type Query = Record<string, string | string[]>;

export function createCopernicaClient(options: ClientOptions): CopernicaClient {
  const apiRoot = resolveApiRoot(assertSafeUrl(options.baseUrl, 'copernica.url'), options.apiVersion);
  const authUrl = options.apiVersion === 4 ? assertSafeUrl(options.authUrl, 'copernica.authUrl').href : '';
  const now = options.now ?? Date.now;
  const dispatcher = new Agent({
    connect: { timeout: options.timeoutMs },
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
  });
  let jwt: JwtCache | undefined;
  const ctx: RetryContext = {
    dispatcher,
    timeoutMs: options.timeoutMs,
    retry: options.retry,
    sleep: options.sleep ?? ((ms, signal) => delay(ms, undefined, signal ? { signal } : {})),
    random: options.random ?? Math.random,
    now,
    onEvent: options.onEvent ?? (() => {}),
    signal: options.signal,
    secrets: () => [options.token, ...(jwt?.current() ? [jwt.current() as string] : [])],
  };
  if (options.apiVersion === 4) {
    jwt = createJwtCache(
      () => fetchJwt(ctx, authUrl, options.token),
      now,
      (expiresAtMs) => ctx.onEvent({ type: 'auth', expiresAtMs }),
    );
  }

  /** Builds the URL and auth headers for one try; v3 puts the token in the query. */
  async function target(
    path: string,
    query: Query = {},
  ): Promise<{ url: string; headers: Record<string, string> }> {
    const url = new URL(path.replace(/^\/+/, ''), apiRoot);
    for (const [key, value] of Object.entries(query)) {
      for (const item of Array.isArray(value) ? value : [value]) url.searchParams.append(key, item);
    }
    if (!jwt) {
      url.searchParams.set('access_token', options.token);
      return { url: url.href, headers: {} };
    }
    return { url: url.href, headers: { authorization: `Bearer ${await jwt.get()}` } };
  }

  function getSpec(path: string, query?: Query): RequestSpec {
    return {
      method: 'GET',
      label: path,
      idempotent: true,
      mutating: false,
      build: async () => ({ method: 'GET', ...(await target(path, query)) }),
      ...(jwt ? { refreshAuth: () => jwt?.invalidate() } : {}),
    };
  }

  async function getJson<T>(path: string, query?: Query): Promise<T> {
    const response = await sendWithRetry(ctx, getSpec(path, query));
    try {
      return JSON.parse(response.text) as T;
    } catch (cause) {
      throw createApiError('E_API_RESPONSE', `GET ${path}: the response is not JSON`, {
        secrets: ctx.secrets(),
        cause,
      });
    }
  }

  /**
   * Every item of a paged list, followed by what the server answers (its start, the items it sent, total),
   * never by the limit asked: a server may cap `limit` below it. Asks for `total` and stops there; without
   * one, at an empty page. A server that answers another page than the one asked (it ignores `start`, or
   * repeats itself) ends the list too, so no server can keep the loop going for ever.
   */
  async function getAll<T>(path: string, query: Query = {}): Promise<T[]> {
    const items: T[] = [];
    let previous = '';
    for (let start = 0; ; ) {
      const page = await getJson<ListPage<T>>(path, {
        ...query,
        start: String(start),
        limit: String(PAGE_LIMIT),
        total: 'true',
      });
      if (!Array.isArray(page?.data)) {
        throw createApiError('E_API_RESPONSE', `GET ${path}: the response is not a list`, {
          secrets: ctx.secrets(),
        });
      }
      const data = page.data;
      const text = JSON.stringify(data);
      const from = toCount(page.start) ?? start;
      if (data.length === 0 || from !== start || text === previous) return items;
      previous = text;
      items.push(...data);
      start += data.length;
      const total = toCount(page.total);
      if (total !== undefined && start >= total) return items;
    }
  }

  async function createImport(
    request: ImportRequest,
    importOptions: CreateImportOptions,
  ): Promise<{ id: string }> {
    const length = importBodyLength(request);
    const response = await sendWithRetry(ctx, {
      method: 'POST',
      label: 'imports',
      idempotent: importOptions.idempotent,
      mutating: true,
      build: async () => {
        const { url, headers } = await target('imports');
        return {
          method: 'POST',
          url,
          headers: { ...headers, 'content-type': 'application/json' },
          body: { length, chunks: () => createImportBody(request) },
          ...(importOptions.onProgress ? { onBodyBytes: importOptions.onProgress } : {}),
        };
      },
      ...(jwt ? { refreshAuth: () => jwt?.invalidate() } : {}),
    });
    const id = readCreatedId(response.headers, response.text);
    if (id === undefined) {
      throw createApiError(
        'E_API_RESPONSE',
        `POST imports: HTTP ${response.status} without an X-Created header`,
        {
          secrets: ctx.secrets(),
          hint: 'the import may have been created: check Copernica before running it again',
        },
      );
    }
    return { id };
  }

  const getImport = async (id: string): Promise<ImportStatus> =>
    normalizeImportStatus(await getJson<ImportStatus>(`import/${encodeURIComponent(id)}`));

  return {
    getJson,
    getAll,
    identity: () => getJson<RemoteIdentity>('identity'),
    listDatabases: () => getAll<RemoteDatabase>('databases'),
    getDatabase: (idOrName) => getJson<RemoteDatabase>(`database/${encodeURIComponent(String(idOrName))}`),
    getDatabaseFields: (id) => getAll<RemoteField>(`database/${encodeURIComponent(String(id))}/fields`),
    getCollections: (id) =>
      getAll<RemoteCollection>(`database/${encodeURIComponent(String(id))}/collections`),
    getCollectionFields: (id) => getAll<RemoteField>(`collection/${encodeURIComponent(String(id))}/fields`),
    countProfiles: async (id) => {
      const page = await getJson<ListPage<unknown>>(`database/${encodeURIComponent(String(id))}/profiles`, {
        limit: '1',
        total: 'true',
      });
      return Number(page.total ?? page.count ?? 0);
    },
    createImport,
    getImport,
    waitForImport: (id, waitOptions) =>
      waitForImportDone(getImport, id, waitOptions, {
        sleep: ctx.sleep,
        now,
        onEvent: ctx.onEvent,
        secrets: ctx.secrets,
      }),
    close: () => dispatcher.close(),
  };
}

/** A list's start, count or total: Copernica sends numbers as strings; anything else is unknown. */
function toCount(value: unknown): number | undefined {
  if (value === undefined || value === null || value === '' || typeof value === 'boolean') return undefined;
  const n = Number(value);
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

/** https://host → https://host/v3/; a base that already ends in /v3 or /v4 is kept. */
function resolveApiRoot(base: URL, version: 3 | 4): URL {
  const path = base.pathname.replace(/\/+$/, '');
  const withVersion = /\/v[34]$/.test(path) ? path : `${path}/v${version}`;
  return new URL(`${withVersion}/`, base.origin);
}

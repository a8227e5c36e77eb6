// The one module that talks HTTP to Copernica: URLs, auth (v3 query token, v4 JWT), JSON, paging, imports.
import { setTimeout as delay } from 'node:timers/promises';
import type { Dispatcher } from 'undici';
import { createApiError } from './api-error.js';
import { createImportBody, type ImportRequest, importBodyLength } from './import-body.js';
import { normalizeImportStatus } from './import-progress.js';
import { createJwtCache } from './jwt-cache.js';
import { readCreatedId } from './response-text.js';
import { type RequestSpec, type RetryContext, sendWithRetry } from './send-with-retry.js';
import type {
  ClientOptions,
  CopernicaClient,
  CreateImportOptions,
  ImportStatus,
  ListPage,
  RemoteItem,
  RemoteProfile,
} from './types.js';
import { assertSafeUrl } from './url-guard.js';
import { waitForImportDone } from './wait-import.js';

export type { ClientEvent, CopernicaClient } from './types.js';

const PAGE_LIMIT = 1000;
type Query = Record<string, string>;

export function createCopernicaClient(options: ClientOptions): CopernicaClient {
  const apiRoot = resolveApiRoot(assertSafeUrl(options.baseUrl, 'copernica.url'), options.apiVersion);
  const authUrl = options.apiVersion === 4 ? assertSafeUrl(options.authUrl, 'copernica.authUrl').href : '';
  let pool: Promise<Dispatcher> | undefined;
  const dispatcher = () => {
    pool ??= import('./undici.js').then(
      ({ Agent }) =>
        new Agent({
          connect: { timeout: options.timeoutMs },
          headersTimeout: options.timeoutMs,
          bodyTimeout: options.timeoutMs,
        }),
    );
    return pool;
  };
  const ctx: RetryContext = {
    dispatcher,
    timeoutMs: options.timeoutMs,
    retry: options.retry,
    sleep: options.sleep ?? ((ms, signal) => delay(ms, undefined, signal ? { signal } : {})),
    random: options.random ?? Math.random,
    now: options.now ?? Date.now,
    onEvent: options.onEvent ?? (() => {}),
    signal: options.signal,
    secrets: () => [options.token, jwt?.current() ?? ''], // redactSecrets skips the empty one
  };
  const jwt = options.apiVersion === 4 ? createJwtCache(ctx, authUrl, options.token) : undefined;
  const refreshAuth: Pick<RequestSpec, 'refreshAuth'> = jwt ? { refreshAuth: () => jwt.invalidate() } : {};

  /** The URL and auth headers of one try: v3 puts the token in the query, v4 sends the current JWT. */
  async function target(
    path: string,
    query: Query = {},
  ): Promise<{ url: string; headers: Record<string, string> }> {
    const url = new URL(path, apiRoot);
    url.search = new URLSearchParams(jwt ? query : { ...query, access_token: options.token }).toString();
    return { url: url.href, headers: jwt ? { authorization: `Bearer ${await jwt.get()}` } : {} };
  }

  async function getJson<T>(path: string, query?: Query): Promise<T> {
    const response = await sendWithRetry(ctx, {
      method: 'GET',
      label: path,
      idempotent: true,
      mutating: false,
      build: () => target(path, query),
      ...refreshAuth,
    });
    try {
      return JSON.parse(response.text) as T;
    } catch (cause) {
      const message = `GET ${path}: the response is not JSON`;
      throw createApiError('E_API_RESPONSE', message, { secrets: ctx.secrets(), cause });
    }
  }

  /**
   * Every item of a paged list, followed by what the server answers (its start, the items it sent, total),
   * never by the limit asked: a server may cap `limit` below it. Asks for `total` and stops there; without
   * one, at an empty page. A server that answers another page than the one asked (it ignores `start`, or
   * repeats itself) ends the list too, so no server can keep the loop going for ever.
   */
  async function getAll<T>(path: string): Promise<T[]> {
    const items: T[] = [];
    await eachPage<T>(path, (page) => items.push(...page));
    return items;
  }

  /** getAll a page at a time, for lists too long to hold (a database's profiles). */
  async function eachPage<T>(path: string, onPage: (items: T[]) => void): Promise<void> {
    let previous = '';
    for (let start = 0; ; ) {
      const query = { start: String(start), limit: String(PAGE_LIMIT), total: 'true' };
      const page = await getJson<ListPage<T>>(path, query);
      if (!Array.isArray(page?.data)) {
        const message = `GET ${path}: the response is not a list`;
        throw createApiError('E_API_RESPONSE', message, { secrets: ctx.secrets() });
      }
      const text = JSON.stringify(page.data);
      if (page.data.length === 0 || (toCount(page.start) ?? start) !== start || text === previous) return;
      previous = text;
      onPage(page.data);
      start += page.data.length;
      const total = toCount(page.total);
      if (total !== undefined && start >= total) return;
    }
  }

  async function createImport(request: ImportRequest, { idempotent, onProgress }: CreateImportOptions) {
    const length = importBodyLength(request);
    const response = await sendWithRetry(ctx, {
      method: 'POST',
      label: 'imports',
      idempotent,
      mutating: true,
      build: async () => {
        const { url, headers } = await target('imports');
        return {
          url,
          headers: { ...headers, 'content-type': 'application/json' },
          body: { length, chunks: () => createImportBody(request) },
          onBodyBytes: onProgress,
        };
      },
      ...refreshAuth,
    });
    const id = readCreatedId(response.headers, response.text);
    if (id !== undefined) return { id };
    const message = `POST imports: HTTP ${response.status} without an X-Created header`;
    const hint = 'the import may have been created: check Copernica before running it again';
    throw createApiError('E_API_RESPONSE', message, { secrets: ctx.secrets(), hint });
  }

  const getImport = async (id: string): Promise<ImportStatus> =>
    normalizeImportStatus(await getJson<ImportStatus>(`import/${encodeURIComponent(id)}`));
  const databasePath = (id: number | string): string => `database/${encodeURIComponent(String(id))}`;

  return {
    identity: () => getJson<RemoteItem>('identity'),
    listDatabases: () => getAll<RemoteItem>('databases'),
    getDatabaseFields: (id) => getAll<RemoteItem>(`${databasePath(id)}/fields`),
    getCollections: (id) => getAll<RemoteItem>(`${databasePath(id)}/collections`),
    getCollectionFields: (id) => getAll<RemoteItem>(`collection/${encodeURIComponent(String(id))}/fields`),
    countProfiles: async (id) => {
      const page = await getJson<ListPage<unknown>>(`${databasePath(id)}/profiles`, {
        limit: '1',
        total: 'true',
      });
      return Number(page.total ?? page.count ?? 0);
    },
    eachProfilePage: (id, onPage) => eachPage<RemoteProfile>(`${databasePath(id)}/profiles`, onPage),
    createImport,
    getImport,
    waitForImport: (id, waitOptions) => waitForImportDone(getImport, id, waitOptions, ctx),
    close: async () => (await pool)?.close(),
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

// The shapes the Copernica client takes and returns; Copernica sends IDs and numbers as strings.
import type { ImportRequest } from './import-body.js';

export interface ClientOptions {
  /** e.g. https://api.copernica.com (a trailing /v3 or /v4 is accepted too). */
  baseUrl: string;
  apiVersion: 3 | 4;
  token: string;
  authUrl: string;
  timeoutMs: number;
  retry: { attempts: number; maxDelayMs: number };
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
  now?: () => number;
  /** Retries, waits, token fetches: for progress and logs. Never carries the token. */
  onEvent?: (event: ClientEvent) => void;
  signal?: AbortSignal;
}

export type ClientEvent =
  | {
      type: 'retry';
      method: string;
      path: string;
      attempt: number;
      maxAttempts: number;
      delayMs: number;
      reason: string;
    }
  | { type: 'auth'; expiresAtMs: number }
  | { type: 'poll'; importId: string; status: string; nextDelayMs: number };

export interface ImportStatus {
  ID: string;
  name?: string;
  type?: string;
  status?: string;
  totallines?: string | number;
  processedlines?: string | number;
  /** The docs' example spells the counts this way: read both (import-progress.ts). */
  totalLines?: string | number;
  processedLines?: string | number;
  lastrun: string | false;
  nextrun?: string | false;
  lasterror: string | false;
  [key: string]: unknown;
}

export interface ListPage<T> {
  start: number | string;
  count: number | string;
  total?: number | string;
  data: T[];
}

/** A database, field or collection (or the account's identity): the tool reads only its ID and name. */
export interface RemoteItem {
  ID: string;
  name: string;
  [key: string]: unknown;
}

export interface WaitOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  onProgress?: (status: ImportStatus) => void;
}

export interface CreateImportOptions {
  /** false for `add`: an unknown outcome is then never retried. */
  idempotent: boolean;
  onProgress?: (bytesSent: number) => void;
}

/** A profile as GET database/{id}/profiles lists it: its field values by field name. */
export interface RemoteProfile {
  ID?: string;
  fields?: Record<string, unknown>;
}

export interface CopernicaClient {
  identity(): Promise<RemoteItem>;
  listDatabases(): Promise<RemoteItem[]>;
  getDatabaseFields(id: number | string): Promise<RemoteItem[]>;
  getCollections(databaseId: number | string): Promise<RemoteItem[]>;
  getCollectionFields(collectionId: number | string): Promise<RemoteItem[]>;
  countProfiles(databaseId: number | string): Promise<number>;
  /** Every profile of a database, a page at a time, none kept (status --rows). */
  eachProfilePage(databaseId: number | string, onPage: (profiles: RemoteProfile[]) => void): Promise<void>;
  createImport(request: ImportRequest, options: CreateImportOptions): Promise<{ id: string }>;
  getImport(id: string): Promise<ImportStatus>;
  waitForImport(id: string, options: WaitOptions): Promise<ImportStatus>;
  /** Closes the connection pool. */
  close(): Promise<void>;
}

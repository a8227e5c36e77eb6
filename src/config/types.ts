// The shape of imports.yaml: `Raw*` is what the file says (checked by the schema), the rest is normalized.
import type { Position } from '../core/diagnostic.js';
import { type ImportParameters, PARAMETER_NAMES } from './parameters.js';

export type { Delimiter, ImportAction, SourceEncoding, SourceFormat } from './parameters.js';
export type ApiVersion = 3 | 4;

export interface SafetySettings {
  minRows: number;
  maxShrink: number;
  maxDeleteShare: number;
}

export type RawSafety = Partial<SafetySettings>;

/** The options an import (or `defaults:`) may set: the rows of the parameter table. */
export type RawImportOptions = Partial<ImportParameters>;

export interface RawImport extends RawImportOptions {
  description?: string;
  database?: number | string;
  source?: string | string[];
  command?: string[];
  location?: string;
  dependsOn?: string[];
  safety?: RawSafety;
}

export interface RawCopernica {
  url?: string;
  authUrl?: string;
  apiVersion?: ApiVersion;
  tokenEnv?: string;
  timeout?: string | number;
  retry?: { attempts?: number; maxDelay?: string | number };
}

export interface RawImportsFile {
  version: 1;
  copernica?: RawCopernica;
  state?: string;
  concurrency?: number;
  defaults?: RawImportOptions;
  safety?: RawSafety;
  imports: Record<string, RawImport>;
}

export type ImportSource =
  | { kind: 'files'; globs: string[] }
  | { kind: 'command'; argv: string[]; timeoutMs: number }
  | { kind: 'location'; url: string };

export interface ImportDefinition extends ImportParameters {
  name: string;
  description?: string;
  database: number | string;
  source: ImportSource;
  dependsOn: string[];
  safety: SafetySettings;
  /** Where the import's key stands in imports.yaml. */
  position: Position;
  /** One per source glob (files sources only), so glob diagnostics point at the glob. */
  sourcePositions?: Position[];
}

export interface CopernicaSettings {
  url: string;
  authUrl: string;
  apiVersion: ApiVersion;
  tokenEnv: string;
  timeoutMs: number;
  retry: { attempts: number; maxDelayMs: number };
}

export interface SyncConfig {
  /** Absolute path of imports.yaml. */
  file: string;
  /** Absolute directory of imports.yaml: every relative path is resolved against it. */
  dir: string;
  copernica: CopernicaSettings;
  /** Absolute path of the state file. */
  statePath: string;
  concurrency: number;
  /** In file order. */
  imports: ImportDefinition[];
}

export const DEFAULTS = {
  url: 'https://api.copernica.com',
  authUrl: 'https://authenticate.copernica.com',
  apiVersion: 3 as ApiVersion,
  tokenEnv: 'COPERNICA_ACCESS_TOKEN',
  timeoutMs: 60_000,
  retryAttempts: 5,
  retryMaxDelayMs: 30_000,
  state: '.copernica-sync/state.json',
  concurrency: 2,
  commandTimeoutMs: 600_000,
  safety: { minRows: 1, maxShrink: 0.2, maxDeleteShare: 0.3 } as SafetySettings,
} as const;

// Key lists of every raw object: the schema test compares them with the schema's `properties`, and the
// type assertions below fail to compile when a key is added to a type but not to its list (or back).
type KeyDiff<L extends readonly string[], T> = Exclude<keyof T, L[number]> | Exclude<L[number], keyof T>;
type AssertNone<T extends never> = T;

export const RAW_TOP_KEYS = [
  'version',
  'copernica',
  'state',
  'concurrency',
  'defaults',
  'safety',
  'imports',
] as const;
export const RAW_COPERNICA_KEYS = ['url', 'authUrl', 'apiVersion', 'tokenEnv', 'timeout', 'retry'] as const;
export const RAW_RETRY_KEYS = ['attempts', 'maxDelay'] as const;
export const RAW_SAFETY_KEYS = ['minRows', 'maxShrink', 'maxDeleteShare'] as const;
export const RAW_DEFAULTS_KEYS = PARAMETER_NAMES;
export const RAW_IMPORT_OWN_KEYS = [
  'description',
  'database',
  'source',
  'command',
  'location',
  'dependsOn',
  'safety',
] as const;
export const RAW_IMPORT_KEYS = [...RAW_IMPORT_OWN_KEYS, ...PARAMETER_NAMES];

export type AssertTopKeys = AssertNone<KeyDiff<typeof RAW_TOP_KEYS, RawImportsFile>>;
export type AssertCopernicaKeys = AssertNone<KeyDiff<typeof RAW_COPERNICA_KEYS, RawCopernica>>;
export type AssertRetryKeys = AssertNone<KeyDiff<typeof RAW_RETRY_KEYS, NonNullable<RawCopernica['retry']>>>;
export type AssertSafetyKeys = AssertNone<KeyDiff<typeof RAW_SAFETY_KEYS, RawSafety>>;
export type AssertImportKeys = AssertNone<
  KeyDiff<typeof RAW_IMPORT_OWN_KEYS, Omit<RawImport, keyof RawImportOptions>>
>;

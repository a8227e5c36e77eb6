// The state file: what was last applied, per import, plus the content-hash cache. Versioned JSON.
import type { FingerprintedDefinition } from '../plan/types.js';
import type { FileScan, FileStamp } from '../sources/types.js';

export const STATE_VERSION = 1;

/** finished / failed: Copernica said so; submitted: accepted (201), outcome not asked yet; unknown: may or may not have been accepted. */
export type Outcome = 'finished' | 'failed' | 'unknown' | 'submitted';

export interface AppliedFile {
  path: string;
  hash: string;
}

export interface AppliedRun {
  fingerprint: string;
  /** Copernica's import ID, from X-Created. */
  importId?: string;
  /** ISO 8601. */
  appliedAt: string;
  outcome: Outcome;
  /** Why it failed, or why the outcome is unknown. */
  error?: string;
  rows: number;
}

export interface StateEntry extends AppliedRun {
  files: AppliedFile[];
  header: string[];
  /** per-file mode: one run per file path, keyed by path. */
  perFile?: Record<string, AppliedRun & { hash: string }>;
  /** The fingerprinted definition of the last run, to say which parameters changed. */
  parameters?: FingerprintedDefinition;
  /** Row count of the last run that finished (or was submitted); what maxShrink compares against. */
  appliedRows?: number;
  /** The last prune (a delete of keys this import sent before): its own run, tied to the snapshot by a token. */
  prune?: AppliedRun & { token: string; keys: number };
  /** The row snapshot beside the state: the files it was taken from, so an unchanged tree needs no row diff. */
  rowSnapshot?: { files: AppliedFile[]; rows: number };
}

export interface HashCacheEntry extends FileScan {
  stamp: FileStamp;
  /** Epoch ms when this entry was recorded: an mtime this close is re-hashed (racy timestamps). */
  recordedAtMs: number;
}

export interface StateFile {
  version: typeof STATE_VERSION;
  imports: Record<string, StateEntry>;
  /** Keyed by absolute path. */
  hashCache: Record<string, HashCacheEntry>;
}

export function createEmptyState(): StateFile {
  return { version: STATE_VERSION, imports: {}, hashCache: {} };
}

// After a plan, remembers the content hashes it computed so the next plan need not re-read unchanged files.
import { CopernicaSyncError } from '../core/errors.js';
import { toHashCacheEntries } from '../sources/hash-cache.js';
import type { ResolvedSource } from '../sources/types.js';
import type { HashCacheEntry } from '../state/types.js';

/**
 * Returns false when the cache was not updated: another run holds the lock, or the state is not writable
 * (a warning says why; a plan never fails over its cache). `known` is the cache the plan read: when nothing
 * is new, nothing is written and no lock is taken, so a warm plan touches no file.
 */
export async function saveHashCache(
  statePath: string,
  sources: Iterable<ResolvedSource>,
  nowMs: number,
  onWarning: (message: string) => void,
  known?: Record<string, HashCacheEntry>,
): Promise<boolean> {
  // A file served from the cache already has its entry in the state: only fresh scans can be new.
  const scanned = [...sources].map((s) => ({ ...s, files: s.files.filter((f) => !f.cached) }));
  const fresh = toHashCacheEntries(scanned, nowMs);
  if (Object.keys(fresh).length === 0) return true;
  if (known && !hasNewEntries(known, fresh)) return true;
  try {
    return await saveLocked(statePath, fresh, onWarning);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    onWarning(`the content-hash cache was not saved (the next plan re-reads the files): ${message}`);
    return false;
  }
}

async function saveLocked(
  statePath: string,
  fresh: Record<string, HashCacheEntry>,
  onWarning: (message: string) => void,
): Promise<boolean> {
  // Loaded only when something is new: a warm plan writes nothing.
  const { acquireLock } = await import('../state/lock.js');
  const { loadState, saveState } = await import('../state/state-store.js');
  let lock: Awaited<ReturnType<typeof acquireLock>>;
  try {
    lock = await acquireLock(statePath, { command: 'plan', onWarning });
  } catch (error) {
    if (error instanceof CopernicaSyncError && error.code === 'E_STATE_LOCKED') return false;
    throw error;
  }
  try {
    const state = await loadState(statePath);
    if (!hasNewEntries(state.hashCache, fresh)) return true;
    await saveState(statePath, { ...state, hashCache: { ...state.hashCache, ...fresh } });
    return true;
  } finally {
    await lock.release();
  }
}

/** Key order differs between a fresh entry and one read back from the (canonically written) state. */
export function hasNewEntries(current: Record<string, unknown>, fresh: Record<string, unknown>): boolean {
  return Object.entries(fresh).some(([path, entry]) => !sameJson(current[path], entry));
}

/**
 * Whether two JSON-like values serialize alike whatever their key order (undefined members count as absent),
 * as comparing their canonical JSON would, without building ~4,000 sorted copies and strings per plan.
 */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    return JSON.stringify(a) === JSON.stringify(b);
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => sameJson(item ?? null, b[i] ?? null));
  }
  const left = definedKeys(a);
  const right = definedKeys(b);
  if (left.length !== right.length) return false;
  const other = b as Record<string, unknown>;
  return left.every(
    (key) => other[key] !== undefined && sameJson((a as Record<string, unknown>)[key], other[key]),
  );
}

function definedKeys(value: object): string[] {
  return Object.keys(value).filter((key) => (value as Record<string, unknown>)[key] !== undefined);
}

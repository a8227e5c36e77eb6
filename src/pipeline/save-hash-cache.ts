// After a plan, remembers the content hashes it computed so the next plan need not re-read unchanged files.
import { SyncError } from '../core/errors.js';
import { canonicalJson } from '../plan/canonical-json.js';
import { toHashCacheEntries } from '../sources/resolve-source.js';
import type { ResolvedSource } from '../sources/types.js';
import { acquireLock } from '../state/lock.js';
import { loadState, saveState } from '../state/state-store.js';
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
  const fresh = toHashCacheEntries(sources, nowMs);
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
  let lock: Awaited<ReturnType<typeof acquireLock>>;
  try {
    lock = await acquireLock(statePath, { command: 'plan', onWarning });
  } catch (error) {
    if (error instanceof SyncError && error.code === 'E_STATE_LOCKED') return false;
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
  return Object.entries(fresh).some(([path, entry]) => canonicalJson(current[path]) !== canonicalJson(entry));
}

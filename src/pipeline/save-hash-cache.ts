// After a plan, remembers the content hashes it computed so the next plan need not re-read unchanged files.
import { SyncError } from '../core/errors.js';
import { toHashCacheEntries } from '../sources/resolve-source.js';
import type { ResolvedSource } from '../sources/types.js';
import { acquireLock } from '../state/lock.js';
import { loadState, saveState } from '../state/state-store.js';

/** Returns false when another run holds the lock (the cache is then simply not updated). */
export async function saveHashCache(
  statePath: string,
  sources: Iterable<ResolvedSource>,
  nowMs: number,
  onWarning: (message: string) => void,
): Promise<boolean> {
  const fresh = toHashCacheEntries(sources, nowMs);
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

function hasNewEntries(current: Record<string, unknown>, fresh: Record<string, unknown>): boolean {
  return Object.entries(fresh).some(([path, entry]) => JSON.stringify(current[path]) !== JSON.stringify(entry));
}

// The one content-hash cache policy: after sources are resolved, new scans are kept so the next run re-reads
// nothing unchanged; written by the session that holds the lock, or under a brief lock of its own (plan).
import { existsSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { CopernicaSyncError } from '../core/errors.js';
import { toHashCacheEntries } from '../sources/hash-cache.js';
import type { ResolvedSource } from '../sources/types.js';
import type { HashCacheEntry, StateFile } from '../state/types.js';
import type { Session } from './session.js';

/** Fresh scans only (a file served from the cache has its entry already); none when nothing is new. */
export function freshCacheEntries(
  current: Record<string, HashCacheEntry>,
  sources: Iterable<ResolvedSource>,
  nowMs: number,
): Record<string, HashCacheEntry> | undefined {
  const scanned = [...sources].map((s) => ({ ...s, files: s.files.filter((f) => !f.cached) }));
  const fresh = toHashCacheEntries(scanned, nowMs);
  const isNew = Object.entries(fresh).some(([path, entry]) => !isDeepStrictEqual(current[path], entry));
  return isNew ? fresh : undefined;
}

/** Months of dropped-in files would grow the cache forever: entries of files that are gone are dropped. */
export function mergeCache(state: StateFile, fresh: Record<string, HashCacheEntry>): StateFile {
  const kept = Object.entries(state.hashCache).filter(([path]) => path in fresh || existsSync(path));
  return { ...state, hashCache: { ...Object.fromEntries(kept), ...fresh } };
}

/** A run never fails over its cache: when it cannot be written, a warning says the next run re-reads. */
export async function saveHashCache(session: Session, sources: Iterable<ResolvedSource>): Promise<void> {
  const fresh = freshCacheEntries(session.writer.current.hashCache, sources, Date.now());
  if (!fresh) return;
  try {
    if (session.lock) await session.writer.update((state) => mergeCache(state, fresh));
    else await saveUnderOwnLock(session, fresh);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    session.emit({
      type: 'warning',
      message: `the content-hash cache was not saved (the next run re-reads the files): ${message}`,
    });
  }
}

async function saveUnderOwnLock(session: Session, fresh: Record<string, HashCacheEntry>): Promise<void> {
  const { acquireLock } = await import('../state/lock.js');
  const { loadState, saveState } = await import('../state/state-store.js');
  const path = session.config.statePath;
  let lock: Awaited<ReturnType<typeof acquireLock>>;
  try {
    lock = await acquireLock(path, {
      command: 'plan',
      onWarning: (message) => session.emit({ type: 'warning', message }),
    });
  } catch (error) {
    if (error instanceof CopernicaSyncError && error.code === 'E_STATE_LOCKED') return; // a run holds it: its cache will do
    throw error;
  }
  try {
    await saveState(path, mergeCache(await loadState(path), fresh));
  } finally {
    await lock.release();
  }
}

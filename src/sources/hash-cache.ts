// The state's content-hash cache entries for the files just resolved (real files only, never command output).
import type { HashCacheEntry } from '../state/types.js';
import type { ResolvedFile, ResolvedSource } from './types.js';

/** A cached file keeps its original recordedAtMs, so an unchanged tree yields identical entries (no state rewrite). */
export function toHashCacheEntries(
  sources: Iterable<ResolvedSource>,
  recordedAtMs: number,
): Record<string, HashCacheEntry> {
  const entries: Record<string, HashCacheEntry> = {};
  for (const source of sources) {
    if (source.kind !== 'files') continue;
    for (const file of source.files)
      entries[file.absPath] = toEntry(file, file.cacheRecordedAtMs ?? recordedAtMs);
  }
  return entries;
}

function toEntry(file: ResolvedFile, recordedAtMs: number): HashCacheEntry {
  const entry: HashCacheEntry = {
    hash: file.hash,
    rows: file.rows,
    header: file.header,
    sentBytes: file.sentBytes,
    headerBytes: file.headerBytes,
    blankKeys: file.blankKeys,
    duplicateKeys: file.duplicateKeys,
    duplicateExamples: file.duplicateExamples,
    truncated: file.truncated,
    diagnostics: file.diagnostics,
    stamp: { size: file.stamp.size, mtimeMs: file.stamp.mtimeMs, ino: file.stamp.ino },
    recordedAtMs,
  };
  if (file.scanKey !== undefined) entry.scanKey = file.scanKey;
  return entry;
}

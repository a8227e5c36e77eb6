// validate's second stage: once imports.yaml is valid, read every file source (offline) for header and record problems.
import type { SyncConfig } from '../config/types.js';
import { type Diagnostic, sortDiagnostics } from '../core/diagnostic.js';
import { SyncError } from '../core/errors.js';
import type { HashCacheEntry } from '../state/types.js';

/** Command sources are not run: validate never has side effects. Cached scans are reused when the state has them. */
export async function validateSources(
  config: SyncConfig,
  cwd: string,
  allowOutside: boolean,
): Promise<Diagnostic[]> {
  const { resolveSources, disposeSources } = await import('../sources/resolve-source.js');
  const sources = await resolveSources(
    config.imports.filter((d) => d.source.kind === 'files'),
    {
      configDir: config.dir,
      displayDir: cwd,
      cache: await readCache(config.statePath),
      nowMs: Date.now(),
      allowOutside,
    },
  );
  await disposeSources(sources.values());
  return sortDiagnostics([...sources.values()].flatMap((s) => s.diagnostics));
}

/** The state's hash cache, or none: a missing or broken state is plan's and apply's to report, not validate's. */
async function readCache(statePath: string): Promise<Record<string, HashCacheEntry>> {
  const { loadState } = await import('../state/state-store.js');
  try {
    return (await loadState(statePath)).hashCache;
  } catch (error) {
    if (error instanceof SyncError) return {};
    throw error;
  }
}

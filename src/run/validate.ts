// validate: imports.yaml, then every file source read once (offline: command sources never run), no side effects.
import { resolve } from 'node:path';
import { displayPathFor, loadConfig } from '../config/load-config.js';
import type { SyncConfig } from '../config/types.js';
import { type Diagnostic, hasErrors, sortDiagnostics } from '../core/diagnostic.js';
import { CopernicaSyncError } from '../core/errors.js';
import type { HashCacheEntry } from '../state/types.js';
import type { RunOptions } from './options.js';

export interface ValidateResult {
  valid: boolean;
  diagnostics: Diagnostic[];
}

export async function validate(options: RunOptions = {}): Promise<ValidateResult> {
  const cwd = options.cwd ?? process.cwd();
  const file = resolve(cwd, options.config ?? 'imports.yaml');
  const loaded = await loadConfig(file, { cwd, env: options.env ?? process.env });
  const sources = loaded.config ? await validateSources(loaded.config, cwd, options) : [];
  const diagnostics = sortDiagnostics([...loaded.diagnostics, ...sources]);
  const valid = loaded.config !== undefined && !hasErrors(diagnostics);
  const emit = options.onEvent ?? (() => {});
  emit({ type: 'diagnostics', diagnostics });
  emit({
    type: 'validate-summary',
    file: displayPathFor(file, cwd),
    valid,
    imports: valid ? (loaded.config?.imports.length ?? 0) : null,
    errors: diagnostics.filter((d) => d.severity === 'error').length,
    warnings: diagnostics.filter((d) => d.severity === 'warning').length,
  });
  return { valid, diagnostics };
}

/** Command sources are not run: validate never has side effects. Cached scans are reused when the state has them. */
async function validateSources(config: SyncConfig, cwd: string, options: RunOptions): Promise<Diagnostic[]> {
  const { resolveSources, disposeSources } = await import('../sources/resolve-source.js');
  const sources = await resolveSources(
    config.imports.filter((d) => d.source.kind === 'files'),
    {
      configDir: config.dir,
      displayDir: cwd,
      cache: await readCache(options.state ? resolve(cwd, options.state) : config.statePath),
      nowMs: Date.now(),
      allowOutside: options.allowOutside === true,
    },
  );
  await disposeSources(sources.values());
  return [...sources.values()].flatMap((s) => s.diagnostics);
}

/** The state's hash cache, or none: a missing or broken state is plan's and apply's to report, not validate's. */
async function readCache(statePath: string): Promise<Record<string, HashCacheEntry>> {
  const { loadState } = await import('../state/state-store.js');
  try {
    return (await loadState(statePath)).hashCache;
  } catch (error) {
    if (error instanceof CopernicaSyncError) return {};
    throw error;
  }
}

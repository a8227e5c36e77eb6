// The core of `validate`: load imports.yaml, then read every file source offline (globs, headers, records).
import { type Diagnostic, hasErrors, sortDiagnostics } from '../core/diagnostic.js';
import { CopernicaSyncError } from '../core/errors.js';
import type { HashCacheEntry } from '../state/types.js';
import { loadConfig } from './load-config.js';
import type { SyncConfig } from './types.js';

export interface ValidateConfigFileOptions {
  cwd: string;
  allowOutside: boolean;
  env?: NodeJS.ProcessEnv;
}

export interface ValidatedConfig {
  /** Undefined when any error was found, in the file or in its sources. */
  config: SyncConfig | undefined;
  diagnostics: Diagnostic[];
  /** Matched files per files-import name (relative to the config's directory, sorted). */
  files: Map<string, string[]>;
}

export async function validateConfigFile(
  configPath: string,
  options: ValidateConfigFileOptions,
): Promise<ValidatedConfig> {
  const loaded = await loadConfig(configPath, { cwd: options.cwd, env: options.env ?? process.env });
  if (!loaded.config) return { config: undefined, diagnostics: loaded.diagnostics, files: new Map() };
  const sources = await validateSources(loaded.config, options);
  const diagnostics = sortDiagnostics([...loaded.diagnostics, ...sources.diagnostics]);
  return { config: hasErrors(diagnostics) ? undefined : loaded.config, diagnostics, files: sources.files };
}

/** Command sources are not run: validate never has side effects. Cached scans are reused when the state has them. */
async function validateSources(config: SyncConfig, options: ValidateConfigFileOptions) {
  const { resolveSources, disposeSources } = await import('../sources/resolve-source.js');
  const sources = await resolveSources(
    config.imports.filter((d) => d.source.kind === 'files'),
    {
      configDir: config.dir,
      displayDir: options.cwd,
      cache: await readCache(config.statePath),
      nowMs: Date.now(),
      allowOutside: options.allowOutside,
    },
  );
  await disposeSources(sources.values());
  const files = new Map([...sources].map(([name, s]) => [name, s.files.map((f) => f.path)]));
  return { diagnostics: [...sources.values()].flatMap((s) => s.diagnostics), files };
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

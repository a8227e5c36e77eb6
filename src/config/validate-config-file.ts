// The core of `validate`, shared with plan/apply: load imports.yaml, then check every files source's globs offline.
import { type Diagnostic, hasErrors, sortDiagnostics } from '../core/diagnostic.js';
import { resolveGlobs } from '../sources/resolve-globs.js';
import { loadConfig } from './load-config.js';
import type { ImportDefinition, SyncConfig } from './types.js';

export interface ValidateConfigFileOptions {
  cwd: string;
  allowOutside: boolean;
  env?: NodeJS.ProcessEnv;
}

export interface ValidatedConfig {
  /** Undefined when any error was found, in the file or in its sources' globs. */
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
  const files = new Map<string, string[]>();
  if (!loaded.config) return { config: undefined, diagnostics: loaded.diagnostics, files };
  const diagnostics = [...loaded.diagnostics];
  for (const definition of loaded.config.imports) {
    if (definition.source.kind !== 'files') continue;
    const result = await resolveGlobs(loaded.config.dir, toGlobInputs(definition), {
      allowOutside: options.allowOutside,
      importName: definition.name,
    });
    files.set(definition.name, result.files);
    diagnostics.push(...result.diagnostics);
  }
  const sorted = sortDiagnostics(diagnostics);
  return { config: hasErrors(sorted) ? undefined : loaded.config, diagnostics: sorted, files };
}

export function toGlobInputs(definition: ImportDefinition) {
  if (definition.source.kind !== 'files') return [];
  return definition.source.globs.map((pattern, i) => {
    const position = definition.sourcePositions?.[i];
    return position ? { pattern, position } : { pattern };
  });
}

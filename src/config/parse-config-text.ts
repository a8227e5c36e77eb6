// imports.yaml text → SyncConfig or diagnostics, without touching the disk: YAML → schema → rules → normalize.
import { dirname } from 'node:path';
import { type Diagnostic, hasErrors, sortDiagnostics } from '../core/diagnostic.js';
import { normalizeConfig } from './normalize-config.js';
import { validateRules } from './rules/validate-rules.js';
import type { RawImportsFile, SyncConfig } from './types.js';
import { validateSchema } from './validate-schema.js';
import { parseYamlText } from './yaml-document.js';

export interface ParseConfigOptions {
  /** Absolute path of imports.yaml: relative paths in it resolve against its directory. */
  file: string;
  env?: NodeJS.ProcessEnv;
}

export interface ConfigResult {
  /** Undefined exactly when diagnostics hold an error. */
  config: SyncConfig | undefined;
  diagnostics: Diagnostic[];
}

/** `displayPath` is how positions name the file (e.g. `imports.yaml`). */
export function parseConfigText(
  text: string,
  displayPath: string,
  options: ParseConfigOptions,
): ConfigResult {
  const parsed = parseYamlText(text, displayPath);
  if (!parsed.usable) return { config: undefined, diagnostics: sortDiagnostics(parsed.diagnostics) };
  const diagnostics = [
    ...parsed.diagnostics,
    ...validateSchema(parsed.data, parsed.locator),
    ...validateRules(parsed.data, parsed.locator),
  ];
  if (hasErrors(diagnostics)) return { config: undefined, diagnostics: sortDiagnostics(diagnostics) };
  const normalized = normalizeConfig({
    raw: parsed.data as RawImportsFile,
    locator: parsed.locator,
    file: options.file,
    dir: dirname(options.file),
    env: options.env ?? {},
  });
  const all = sortDiagnostics([...diagnostics, ...normalized.diagnostics]);
  return { config: hasErrors(all) ? undefined : normalized.config, diagnostics: all };
}

// imports.yaml text → SyncConfig or diagnostics, without touching the disk: YAML → schema → rules → normalize.
import { type Diagnostic, hasErrors, sortDiagnostics } from '../core/diagnostic.js';
import { normalizeConfig, type ParseConfigOptions } from './normalize-config.js';
import { validateRules } from './rules/validate-rules.js';
import type { RawImportsFile, SyncConfig } from './types.js';
import { validateSchema } from './validate-schema.js';
import { parseYamlText } from './yaml-document.js';

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
  const data = withoutExtensionKeys(parsed.data);
  const diagnostics = [
    ...parsed.diagnostics,
    ...validateSchema(data, parsed.locator),
    ...validateRules(data, parsed.locator),
  ];
  if (hasErrors(diagnostics)) return { config: undefined, diagnostics: sortDiagnostics(diagnostics) };
  const normalized = normalizeConfig(data as RawImportsFile, parsed.locator, options);
  const all = sortDiagnostics([...diagnostics, ...normalized.diagnostics]);
  return { config: hasErrors(all) ? undefined : normalized.config, diagnostics: all };
}

/** Top-level `x-…` keys hold anchors for merge keys (docker-compose's convention); nothing after parsing sees them. */
export function withoutExtensionKeys(data: unknown): unknown {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return data;
  return Object.fromEntries(Object.entries(data).filter(([key]) => !key.startsWith('x-')));
}

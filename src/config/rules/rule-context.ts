// What every semantic rule receives: the raw data (not yet trusted: the schema may have failed) and a locator.
import type { Diagnostic } from '../../core/diagnostic.js';
import { PARAMETERS } from '../parameters.js';
import type { RawImportOptions } from '../types.js';
import type { YamlLocator } from '../yaml-document.js';

export interface RuleContext {
  data: Record<string, unknown>;
  locator: YamlLocator;
  report: (diagnostic: Diagnostic) => void;
}

export type Rule = (ctx: RuleContext) => void;

/** A raw object, or undefined when the value is not a mapping. */
export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** Each import as [name, raw object], skipping entries that are not mappings (the schema reports those). */
export function listImports(data: Record<string, unknown>): Array<[string, Record<string, unknown>]> {
  const imports = asRecord(data.imports) ?? {};
  return Object.entries(imports).flatMap(([name, value]) => {
    const record = asRecord(value);
    return record ? [[name, record] as [string, Record<string, unknown>]] : [];
  });
}

/** An option as the import sees it: its own value, else `defaults`, else the built-in default. */
export function effectiveOption<K extends keyof RawImportOptions>(
  data: Record<string, unknown>,
  raw: Record<string, unknown>,
  key: K,
): unknown {
  const defaults = asRecord(data.defaults) ?? {};
  if (raw[key] !== undefined) return raw[key];
  if (defaults[key] !== undefined) return defaults[key];
  return PARAMETERS[key].default;
}

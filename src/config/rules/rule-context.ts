// What every semantic rule receives: the raw data (not yet trusted: the schema may have failed) and a locator.
import type { Diagnostic } from '../../core/diagnostic.js';
import { PARAMETERS } from '../parameters.js';
import type { RawImportOptions } from '../types.js';
import type { YamlLocator } from '../yaml-document.js';

export interface RuleContext {
  data: Record<string, unknown>;
  locator: YamlLocator;
  /** Every rule's finding is an error. */
  error(code: string, message: string, details: Pick<Diagnostic, 'position' | 'hint' | 'importName'>): void;
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
  return Object.entries(asRecord(data.imports) ?? {}).flatMap(([name, value]) => {
    const record = asRecord(value);
    return record ? [[name, record] as [string, Record<string, unknown>]] : [];
  });
}

/** An option as the import sees it: its own value, else `defaults`, else the built-in default. */
export function effectiveOption(
  data: Record<string, unknown>,
  raw: Record<string, unknown>,
  key: keyof RawImportOptions,
): unknown {
  // Not `??`: an empty value (null) is the import's own, for the schema to report.
  for (const value of [raw[key], asRecord(data.defaults)?.[key]]) if (value !== undefined) return value;
  return PARAMETERS[key].default;
}

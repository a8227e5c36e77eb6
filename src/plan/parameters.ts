// The Copernica import parameters that come from an import's definition: fingerprinted, and sent by the client.
import type { Delimiter, ImportDefinition, SourceFormat } from '../config/types.js';
import type { ApiParameters, FingerprintedDefinition } from './types.js';

/** What the resolved source knows about the data (a ResolvedSource or a ResolvedFile both fit). */
export interface FormatHint {
  format?: SourceFormat | undefined;
  delimiter?: Delimiter | undefined;
}

/**
 * The definition's API parameters. Pass the resolved source (or file) when the definition leaves the
 * format to be inferred from file extensions; without it the format is inferred from the glob or URL.
 */
export function importApiParameters(def: ImportDefinition, hint: FormatHint = {}): ApiParameters {
  const sourceFormat = def.format ?? hint.format ?? inferFormat(sourceName(def));
  const format = sourceFormat === 'csv' ? 'csv' : 'json';
  const params: ApiParameters = {
    database: def.database,
    action: def.action,
    keyFields: [...def.keyFields],
    ignoreEmptyFields: def.ignoreEmptyFields,
    removeMissing: def.removeMissing,
    followups: def.followups,
    autostart: def.autostart,
    rebuild: def.rebuild,
    format,
  };
  // Copernica's default target is the profile; naming it keeps explicit and implicit equal.
  if (def.action === 'delete') params.deleteTarget = def.deleteTarget ?? 'profile';
  if (format === 'csv') params.delimiter = def.delimiter ?? hint.delimiter ?? inferDelimiter(sourceName(def));
  return params;
}

/** The API parameters plus where the data comes from: everything but file contents that the fingerprint covers. */
export function fingerprintedDefinition(
  def: ImportDefinition,
  hint: FormatHint = {},
): FingerprintedDefinition {
  const params: FingerprintedDefinition = importApiParameters(def, hint);
  if (def.source.kind === 'location') params.location = def.source.url;
  if (def.source.kind === 'command') params.command = [...def.source.argv];
  return params;
}

function sourceName(def: ImportDefinition): string {
  if (def.source.kind === 'location') return def.source.url.replace(/[?#].*$/, '');
  if (def.source.kind === 'files') return def.source.globs.find((g) => !g.startsWith('!')) ?? '';
  return '';
}

function inferFormat(name: string): SourceFormat {
  const lower = name.toLowerCase();
  if (lower.endsWith('.json')) return 'json';
  if (lower.endsWith('.jsonl') || lower.endsWith('.ndjson')) return 'jsonl';
  return 'csv';
}

function inferDelimiter(name: string): Delimiter {
  return name.toLowerCase().endsWith('.tsv') ? '\t' : ',';
}

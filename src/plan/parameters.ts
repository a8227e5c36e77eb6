// A definition's Copernica import parameters and fingerprinted definition, both read off the parameter table.
import {
  type ApiContext,
  apiParameterValues,
  type Delimiter,
  delimiterOfName,
  formatOfName,
  laterFingerprintValues,
  type SourceFormat,
} from '../config/parameters.js';
import type { ImportDefinition } from '../config/types.js';
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
  const context = apiContext(def, hint);
  return { ...apiParameterValues(def, context), database: def.database, format: context.format };
}

/** The API parameters plus where the data comes from, and later parameters set away from their default. */
export function fingerprintedDefinition(
  def: ImportDefinition,
  hint: FormatHint = {},
): FingerprintedDefinition {
  const params: FingerprintedDefinition = importApiParameters(def, hint);
  if (def.source.kind === 'location') params.location = def.source.url;
  if (def.source.kind === 'command') params.command = [...def.source.argv];
  return { ...params, ...laterFingerprintValues(def) };
}

function apiContext(def: ImportDefinition, hint: FormatHint): ApiContext {
  const name = sourceName(def);
  const format = def.format ?? hint.format ?? formatOfName(name) ?? 'csv';
  return {
    action: def.action,
    format: format === 'csv' ? 'csv' : 'json',
    delimiter: def.delimiter ?? hint.delimiter ?? delimiterOfName(name),
  };
}

function sourceName(def: ImportDefinition): string {
  if (def.source.kind === 'location') return def.source.url;
  if (def.source.kind === 'files') return def.source.globs.find((g) => !g.startsWith('!')) ?? '';
  return '';
}

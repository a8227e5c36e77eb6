// Parses imports.yaml with the `yaml` document API and answers "where is this path?" with a file:line:column.
import { LineCounter, parseDocument } from 'yaml';
import type { Diagnostic, Position } from '../core/diagnostic.js';
import { createLocator } from './yaml-locator.js';
import { aliasLimitDiagnostic, collectAliasProblems, collectYamlProblems } from './yaml-problems.js';

/** A path into the parsed data, as in ajv's instancePath: keys and sequence indexes. */
export type DataPath = ReadonlyArray<string | number>;

/** Alias uses (merge keys included), weighted by what they expand to: one anchor shared by 200 imports, not a "billion laughs". */
export const MAX_ALIAS_COUNT = 200;

export interface ParsedYaml {
  data: unknown;
  locator: YamlLocator;
  diagnostics: Diagnostic[];
  /** False when the text could not be read as one YAML document: later stages must not run. */
  usable: boolean;
}

export interface YamlLocator {
  /** Position of the value at path (or of its nearest existing ancestor); a merged value is found in its anchor. */
  valueAt(path: DataPath): Position;
  /** Position of the key that leads to path (for an item of a list: the item). */
  keyAt(path: DataPath): Position;
  /** Whether path exists in the document. */
  has(path: DataPath): boolean;
}

export function parseYamlText(text: string, file: string): ParsedYaml {
  const lineCounter = new LineCounter();
  // logLevel 'error': the yaml package would otherwise print process warnings (e.g. collection keys) to stderr.
  // merge: `<<: *common` lets imports share options through an anchor (YAML 1.1's merge key).
  const doc = parseDocument(text, {
    lineCounter,
    prettyErrors: false,
    uniqueKeys: true,
    merge: true,
    logLevel: 'error',
  });
  const position = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col };
  };
  const locator = createLocator(doc, position);
  const diagnostics = collectYamlProblems(doc, text, position);
  // Later problems are added to the same list before it is returned.
  const unusable = { data: undefined, locator, diagnostics, usable: false };
  if (doc.errors.some((e) => e.code !== 'DUPLICATE_KEY')) return unusable;
  const aliasProblems = collectAliasProblems(doc, position);
  diagnostics.push(...aliasProblems);
  if (aliasProblems.length > 0) return unusable;
  try {
    return { data: doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }), locator, diagnostics, usable: true };
  } catch (error) {
    diagnostics.push(aliasLimitDiagnostic(doc, position, error, MAX_ALIAS_COUNT));
    return unusable;
  }
}

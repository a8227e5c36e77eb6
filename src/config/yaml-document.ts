// Parses imports.yaml with the `yaml` document API and answers "where is this path?" with a file:line:column.
import {
  type Document,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseDocument,
  visit,
} from 'yaml';
import { createDiagnostic, type Diagnostic, type Position } from '../core/diagnostic.js';

/** A path into the parsed data, as in ajv's instancePath: keys and sequence indexes. */
export type DataPath = ReadonlyArray<string | number>;

/** Aliases may expand to at most this many nodes: enough for sharing, not for a "billion laughs". */
export const MAX_ALIAS_COUNT = 50;

export interface ParsedYaml {
  data: unknown;
  locator: YamlLocator;
  diagnostics: Diagnostic[];
  /** False when the text could not be read as one YAML document: later stages must not run. */
  usable: boolean;
}

export interface YamlLocator {
  /** Position of the value at path (or of its nearest existing ancestor). */
  valueAt(path: DataPath): Position;
  /** Position of the key that leads to path (for an item of a list: the item). */
  keyAt(path: DataPath): Position;
  /** Whether path exists in the document. */
  has(path: DataPath): boolean;
}

export function parseYamlText(text: string, file: string): ParsedYaml {
  const lineCounter = new LineCounter();
  // logLevel 'error': the yaml package would otherwise print process warnings (e.g. collection keys) to stderr.
  const doc = parseDocument(text, {
    lineCounter,
    prettyErrors: false,
    uniqueKeys: true,
    merge: false,
    logLevel: 'error',
  });
  const position = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col };
  };
  const locator = createLocator(doc, position);
  const diagnostics = collectYamlProblems(doc, text, position);
  const fatal = doc.errors.some((e) => e.code !== 'DUPLICATE_KEY');
  if (fatal) return { data: undefined, locator, diagnostics, usable: false };
  try {
    return { data: doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }), locator, diagnostics, usable: true };
  } catch (error) {
    diagnostics.push(aliasDiagnostic(doc, position, error));
    return { data: undefined, locator, diagnostics, usable: false };
  }
}

function collectYamlProblems(
  doc: Document,
  text: string,
  position: (offset: number) => Position,
): Diagnostic[] {
  const errors = doc.errors.map((error) => {
    const offset = error.pos[0];
    if (error.code === 'DUPLICATE_KEY') {
      const key = /^[^:\s]*/.exec(text.slice(offset))?.[0] ?? '';
      return createDiagnostic('error', 'E_CONFIG_DUPLICATE_KEY', `duplicate key '${key}'`, {
        position: position(offset),
        hint: 'each key may appear once per mapping; remove or rename one of them',
      });
    }
    const message =
      error.code === 'MULTIPLE_DOCS'
        ? 'imports.yaml must hold one YAML document, not several'
        : plainMessage(error.message);
    return createDiagnostic('error', 'E_CONFIG_YAML', message, {
      position: position(offset),
      hint: 'fix the YAML syntax',
    });
  });
  const warnings = doc.warnings.map((warning) =>
    warning.code === 'TAG_RESOLVE_FAILED'
      ? createDiagnostic(
          'error',
          'E_CONFIG_YAML_TAG',
          `${plainMessage(warning.message)}: custom YAML tags are not allowed`,
          {
            position: position(warning.pos[0]),
            hint: 'remove the tag; imports.yaml holds plain strings, numbers, booleans, lists and mappings',
          },
        )
      : createDiagnostic('warning', 'E_CONFIG_YAML', plainMessage(warning.message), {
          position: position(warning.pos[0]),
        }),
  );
  return [...errors, ...warnings];
}

/** yaml's messages may quote the source line; we print our own position and never echo file content. */
function plainMessage(message: string): string {
  return message.split(/ at line \d+|\n/)[0] ?? message;
}

function aliasDiagnostic(doc: Document, position: (offset: number) => Position, error: unknown): Diagnostic {
  let offset = 0;
  visit(doc, {
    Alias(_key, node) {
      offset = node.range?.[0] ?? 0;
      return visit.BREAK;
    },
  });
  const excessive = error instanceof Error && /alias count/i.test(error.message);
  const message = excessive
    ? `YAML aliases expand to too many nodes (limit ${MAX_ALIAS_COUNT})`
    : `YAML alias cannot be resolved: ${error instanceof Error ? plainMessage(error.message) : String(error)}`;
  return createDiagnostic('error', 'E_CONFIG_YAML_ALIAS', message, {
    position: position(offset),
    hint: 'write the values out instead of using anchors and aliases',
  });
}

function createLocator(doc: Document, position: (offset: number) => Position): YamlLocator {
  const start = (node: unknown): number | undefined =>
    node && typeof node === 'object' && 'range' in node && Array.isArray(node.range)
      ? (node.range[0] as number)
      : undefined;
  const rootOffset = start(doc.contents) ?? 0;
  return {
    valueAt: (path) => {
      const found = walk(doc, path);
      return position(start(found.value) ?? start(found.key) ?? rootOffset);
    },
    keyAt: (path) => {
      const found = walk(doc, path);
      return position(start(found.key) ?? start(found.value) ?? rootOffset);
    },
    has: (path) => walk(doc, path).complete,
  };
}

interface WalkResult {
  key: unknown;
  value: unknown;
  complete: boolean;
}

/** Follows path through maps, lists and aliases; stops at the deepest node that exists. */
function walk(doc: Document, path: DataPath): WalkResult {
  let value: unknown = doc.contents;
  let key: unknown;
  for (const segment of path) {
    const node = isAlias(value) ? value.resolve(doc) : value;
    const step = stepInto(node as Node | null, segment);
    if (!step) return { key, value, complete: false };
    key = step.key;
    value = step.value;
  }
  return { key, value, complete: true };
}

function stepInto(node: Node | null, segment: string | number): { key: unknown; value: unknown } | undefined {
  if (isMap(node)) {
    const pair = node.items.find((p) => String(isScalar(p.key) ? p.key.value : p.key) === String(segment));
    return pair ? { key: pair.key, value: pair.value ?? pair.key } : undefined;
  }
  if (isSeq(node)) {
    const item = node.items[Number(segment)];
    return item === undefined ? undefined : { key: item, value: item };
  }
  return undefined;
}

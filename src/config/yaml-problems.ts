// What the yaml package found wrong with imports.yaml, as diagnostics with our own positions and wording.
import { type Document, isAlias, isMap, isSeq, visit } from 'yaml';
import { createDiagnostic, type Diagnostic, type Position } from '../core/diagnostic.js';
import { isMergePair, startOf } from './yaml-locator.js';

type PositionAt = (offset: number) => Position;

export function collectYamlProblems(doc: Document, text: string, position: PositionAt): Diagnostic[] {
  const quotes = unclosedQuotes(doc);
  // Errors at the spot where an unclosed quote ran out are its echoes: report the quote alone.
  const echoes = new Set([...quotes.keys()].map((error) => error.pos[0]));
  const errors = doc.errors
    .filter((error) => quotes.has(error) || !echoes.has(error.pos[0]))
    .map((error) => {
      const offset = error.pos[0];
      const opened = quotes.get(error);
      if (opened !== undefined) {
        return createDiagnostic('error', 'E_CONFIG_YAML', 'this quoted string is never closed', {
          position: position(opened),
          hint: "add the closing quote on this line (inside \"…\" write \\\" for a quote; inside '…' write '')",
        });
      }
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
  return [...errors, ...doc.warnings.map((warning) => warningDiagnostic(warning, position))];
}

/** Aliases without an anchor and merge keys (`<<`) whose value is not a mapping, an alias of one, or a list of them. */
export function collectAliasProblems(doc: Document, position: PositionAt): Diagnostic[] {
  const problems: Diagnostic[] = [];
  const at = (node: unknown) => position(startOf(node) ?? 0);
  visit(doc, {
    Alias(_key, node) {
      if (node.resolve(doc) !== undefined) return;
      const message = `alias *${node.source} has no anchor &${node.source} before it`;
      problems.push(
        createDiagnostic('error', 'E_CONFIG_YAML_ALIAS', message, {
          position: at(node),
          hint: 'define the anchor (e.g. `x-common: &common { … }`) above the first alias that uses it',
        }),
      );
    },
    Pair(_key, pair) {
      if (!isMergePair(pair)) return;
      for (const node of unmergeable(doc, pair.value)) {
        const message = 'a merge key (<<) takes a mapping, or a list of mappings';
        problems.push(
          createDiagnostic('error', 'E_CONFIG_YAML_MERGE', message, {
            position: at(node ?? pair.key),
            hint: 'merge a mapping anchor: `<<: *common` or `<<: [*common, *other]`',
          }),
        );
      }
    },
  });
  return problems;
}

/** The nodes of a merge value that are not mappings: an inline list's items, else the value (or alias) itself. */
function unmergeable(doc: Document, value: unknown): unknown[] {
  // An alias without an anchor is reported on its own.
  const isMergeable = (node: unknown) => {
    const resolved = isAlias(node) ? node.resolve(doc) : node;
    return resolved === undefined || isMap(resolved);
  };
  if (isSeq(value)) return value.items.filter((item) => !isMergeable(item));
  const resolved = isAlias(value) ? value.resolve(doc) : value;
  // The yaml package takes an alias of a list as a list of merge sources.
  return (isSeq(resolved) ? resolved.items.every(isMergeable) : isMergeable(value)) ? [] : [value];
}

/** The alias limit was hit, or an alias could not be expanded: point at the first alias. */
export function aliasLimitDiagnostic(doc: Document, at: PositionAt, error: unknown, limit: number) {
  let offset = 0;
  visit(doc, {
    Alias(_key, node) {
      offset = node.range?.[0] ?? 0;
      return visit.BREAK;
    },
  });
  const excessive = error instanceof Error && /alias count/i.test(error.message);
  const message = excessive
    ? `YAML aliases expand to too many nodes (limit ${limit})`
    : `YAML alias cannot be resolved: ${error instanceof Error ? plainMessage(error.message) : String(error)}`;
  return createDiagnostic('error', 'E_CONFIG_YAML_ALIAS', message, {
    position: at(offset),
    hint: 'write the values out instead of using anchors and aliases',
  });
}

/**
 * A quoted scalar with no closing quote runs to the end of the file (or to the next quote), and yaml reports the
 * place where it ran out. Maps each such error to the offset where the quote opens.
 */
function unclosedQuotes(doc: Document): Map<Document['errors'][number], number> {
  const found = new Map<Document['errors'][number], number>();
  const quoted: Array<[number, number]> = [];
  visit(doc, {
    Scalar(_key, node) {
      if ((node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') && node.range) {
        quoted.push([node.range[0], node.range[2]]);
      }
    },
  });
  for (const error of doc.errors) {
    if (error.code !== 'MISSING_CHAR' || !/quote/i.test(error.message)) continue;
    const offset = error.pos[0];
    const starts = quoted.filter(([start, end]) => start < offset && offset <= end).map(([start]) => start);
    if (starts.length > 0) found.set(error, Math.max(...starts));
  }
  return found;
}

function warningDiagnostic(warning: Document['warnings'][number], position: PositionAt): Diagnostic {
  const at = position(warning.pos[0]);
  const message = plainMessage(warning.message);
  if (warning.code !== 'TAG_RESOLVE_FAILED')
    return createDiagnostic('warning', 'E_CONFIG_YAML', message, { position: at });
  return createDiagnostic('error', 'E_CONFIG_YAML_TAG', `${message}: custom YAML tags are not allowed`, {
    position: at,
    hint: 'remove the tag; imports.yaml holds plain strings, numbers, booleans, lists and mappings',
  });
}

/** yaml's messages may quote the source line; we print our own position and never echo file content. */
function plainMessage(message: string): string {
  return message.split(/ at line \d+|\n/)[0] ?? message;
}

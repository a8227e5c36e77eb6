// Answers "where in imports.yaml is this data path?", following aliases and merge keys (`<<: *common`).
import { type Document, isAlias, isMap, isScalar, isSeq, type Node, type Pair } from 'yaml';
import type { Position } from '../core/diagnostic.js';
import type { DataPath, YamlLocator } from './yaml-document.js';

export function createLocator(doc: Document, position: (offset: number) => Position): YamlLocator {
  const rootOffset = startOf(doc.contents) ?? 0;
  return {
    valueAt: (path) => {
      const found = walk(doc, path);
      return position(startOf(found.value) ?? startOf(found.key) ?? rootOffset);
    },
    keyAt: (path) => {
      const found = walk(doc, path);
      return position(startOf(found.key) ?? startOf(found.value) ?? rootOffset);
    },
    has: (path) => walk(doc, path).complete,
  };
}

/** A `<<` key: the yaml package marks it with a symbol, so a quoted "<<" is an ordinary key. */
export function isMergePair(pair: Pair): boolean {
  return isScalar(pair.key) && typeof pair.key.value === 'symbol';
}

/** Where a node starts in the text, when it is a node. */
export function startOf(node: unknown): number | undefined {
  return node && typeof node === 'object' && 'range' in node && Array.isArray(node.range)
    ? (node.range[0] as number)
    : undefined;
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
    const step = stepInto(doc, value, segment, new Set());
    if (!step) return { key, value, complete: false };
    key = step.key;
    value = step.value;
  }
  return { key, value, complete: true };
}

/**
 * A key written in the mapping wins; else the first merge source that has it, as the yaml package merges.
 * `seen` stops a mapping that merges itself (the alias limit rejects such a file, but the locator runs first).
 */
function stepInto(
  doc: Document,
  raw: unknown,
  segment: string | number,
  seen: Set<unknown>,
): { key: unknown; value: unknown } | undefined {
  const node = isAlias(raw) ? raw.resolve(doc) : (raw as Node | null);
  if (seen.has(node)) return undefined;
  seen.add(node);
  if (isSeq(node)) {
    const item = node.items[Number(segment)];
    return item === undefined ? undefined : { key: item, value: item };
  }
  if (!isMap(node)) return undefined;
  const pair = node.items.find(
    (p) => !isMergePair(p) && String(isScalar(p.key) ? p.key.value : p.key) === String(segment),
  );
  if (pair) return { key: pair.key, value: pair.value ?? pair.key };
  for (const merge of node.items.filter(isMergePair)) {
    const value = isAlias(merge.value) ? merge.value.resolve(doc) : merge.value;
    const sources = isSeq(value) ? value.items : [value];
    for (const source of sources) {
      const found = stepInto(doc, source, segment, seen);
      if (found) return found;
    }
  }
  return undefined;
}

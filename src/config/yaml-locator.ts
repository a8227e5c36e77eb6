// Answers "where in imports.yaml is this data path?", following aliases and merge keys (`<<: *common`).
import { type Document, isAlias, isMap, isNode, isScalar, isSeq, type Pair } from 'yaml';
import type { Position } from '../core/diagnostic.js';
import type { DataPath, YamlLocator } from './yaml-document.js';

/** The key that leads to a node and the node itself (an item of a list is both). */
type Step = { key: unknown; value: unknown };

export function createLocator(doc: Document, position: (offset: number) => Position): YamlLocator {
  const rootOffset = startOf(doc.contents) ?? 0;
  const at = (first: unknown, second: unknown) => position(startOf(first) ?? startOf(second) ?? rootOffset);
  return {
    valueAt: (path) => {
      const { key, value } = walk(doc, path);
      return at(value, key);
    },
    keyAt: (path) => {
      const { key, value } = walk(doc, path);
      return at(key, value);
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
  return isNode(node) ? node.range?.[0] : undefined;
}

/** Follows path through maps, lists and aliases; stops at the deepest node that exists. */
function walk(doc: Document, path: DataPath): Step & { complete: boolean } {
  let step: Step = { key: undefined, value: doc.contents };
  for (const segment of path) {
    const next = stepInto(doc, step.value, segment, new Set());
    if (!next) return { ...step, complete: false };
    step = next;
  }
  return { ...step, complete: true };
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
): Step | undefined {
  const node = isAlias(raw) ? raw.resolve(doc) : raw;
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
    for (const source of isSeq(value) ? value.items : [value]) {
      const found = stepInto(doc, source, segment, seen);
      if (found) return found;
    }
  }
  return undefined;
}

// Deterministic JSON: object keys sorted by code unit at every depth, so equal values hash equally.
import { compareCodeUnits } from '../core/compare-code-units.js';

/** Returns a copy of `value` whose objects have their keys in sorted order (undefined members dropped). */
export function sortKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => sortKeysDeep(item));
  if (value === null || typeof value !== 'object') return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort(compareCodeUnits)) {
    const member = (value as Record<string, unknown>)[key];
    if (member !== undefined) sorted[key] = sortKeysDeep(member);
  }
  return sorted;
}

/** JSON with sorted keys; `indent` only for files people read (the state). */
export function canonicalJson(value: unknown, indent?: number): string {
  return JSON.stringify(sortKeysDeep(value), null, indent);
}

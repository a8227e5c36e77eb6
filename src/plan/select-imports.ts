// `--only` selection (with dependencies, transitively) and the run order: dependencies first, ties by name.
import type { ImportDefinition } from '../config/types.js';
import { compareCodeUnits } from '../core/compare-code-units.js';
import { CopernicaSyncError } from '../core/errors.js';
import { EXIT } from '../core/exit-codes.js';

/** The selected imports plus everything they depend on; all of them when `only` is undefined or empty. */
export function selectImports(
  imports: readonly ImportDefinition[],
  only?: readonly string[],
): ImportDefinition[] {
  if (!only || only.length === 0) return [...imports];
  const byName = new Map(imports.map((def) => [def.name, def]));
  const unknown = only.filter((name) => !byName.has(name));
  if (unknown.length > 0) throw unknownOnlyError(unknown, [...byName.keys()]);
  const selected = new Set<string>();
  const visit = (name: string): void => {
    const def = byName.get(name);
    if (!def || selected.has(name)) return;
    selected.add(name);
    for (const dep of def.dependsOn) visit(dep);
  };
  for (const name of only) visit(name);
  return imports.filter((def) => selected.has(def.name));
}

/** Kahn's algorithm taking the smallest ready name each step; cycles (rejected earlier) fall back to name order. */
export function orderImports(imports: readonly ImportDefinition[]): ImportDefinition[] {
  const byName = new Map(imports.map((def) => [def.name, def]));
  const waitingOn = new Map(
    imports.map((def) => [def.name, new Set(def.dependsOn.filter((d) => byName.has(d)))]),
  );
  const ordered: ImportDefinition[] = [];
  while (waitingOn.size > 0) {
    const ready = [...waitingOn].filter(([, deps]) => deps.size === 0).map(([name]) => name);
    const next = (ready.length > 0 ? ready : [...waitingOn.keys()]).sort(compareCodeUnits)[0] as string;
    waitingOn.delete(next);
    for (const deps of waitingOn.values()) deps.delete(next);
    ordered.push(byName.get(next) as ImportDefinition);
  }
  return ordered;
}

function unknownOnlyError(unknown: string[], known: string[]): CopernicaSyncError {
  const list = [...known].sort(compareCodeUnits).join(', ') || '(none)';
  return new CopernicaSyncError(
    'E_USAGE_ONLY',
    `--only names ${unknown.length === 1 ? 'an unknown import' : 'unknown imports'}: ${unknown.join(', ')}`,
    {
      exitCode: EXIT.usage,
      hint: `known imports: ${list}`,
    },
  );
}

// dependsOn must name imports that exist, and the graph must have no cycle (every import on one is reported).
import { suggestClosest } from '../suggest.js';
import { listImports, type Rule } from './rule-context.js';

export const checkDependsUnknown: Rule = (ctx) => {
  const imports = listImports(ctx.data);
  const names = imports.map(([name]) => name);
  for (const [name, raw] of imports) {
    // An import cannot depend on itself, so it is never the suggestion.
    const others = names.filter((n) => n !== name);
    dependencies(raw).forEach((dep, index) => {
      if (names.includes(dep)) return;
      const guess = suggestClosest(dep, others);
      ctx.error('E_CONFIG_DEPENDS_UNKNOWN', `import '${name}' depends on '${dep}', which is not defined`, {
        position: ctx.locator.valueAt(['imports', name, 'dependsOn', index]),
        hint: guess ? `did you mean '${guess}'?` : `defined imports: ${names.join(', ')}`,
        importName: name,
      });
    });
  }
};

export const checkDependsCycle: Rule = (ctx) => {
  const graph = new Map(listImports(ctx.data).map(([name, raw]) => [name, dependencies(raw)]));
  for (const component of findStronglyConnected(graph)) {
    const [first = ''] = component;
    if (component.length === 1 && !graph.get(first)?.includes(first)) continue;
    const members = new Set(component);
    for (const name of component) {
      const index = (graph.get(name) ?? []).findIndex((d) => members.has(d));
      const cycle = findCycle(graph, name, members);
      ctx.error('E_CONFIG_DEPENDS_CYCLE', `import '${name}' is on a dependency cycle: ${cycle.join(' → ')}`, {
        position: ctx.locator.valueAt(['imports', name, 'dependsOn', index]),
        hint: 'remove one of the dependsOn entries on the cycle',
        importName: name,
      });
    }
  }
};

function dependencies(raw: Record<string, unknown>): string[] {
  return Array.isArray(raw.dependsOn) ? raw.dependsOn.filter((d): d is string => typeof d === 'string') : [];
}

/** Tarjan's algorithm; components come out in a deterministic order for a given file. */
export function findStronglyConnected(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter++);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!graph.has(next)) continue;
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node) ?? 0, low.get(next) ?? 0));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node) ?? 0, index.get(next) ?? 0));
    }
    if (low.get(node) !== index.get(node)) return;
    const component = stack.splice(stack.indexOf(node));
    for (const member of component) onStack.delete(member);
    components.push(component);
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return components;
}

/** The shortest path from start back to itself inside the component, for the message. */
function findCycle(
  graph: ReadonlyMap<string, readonly string[]>,
  start: string,
  members: ReadonlySet<string>,
) {
  const seen = new Set<string>();
  const queue = [[start]];
  // A breadth-first walk over paths; the array grows while it is read.
  for (const path of queue) {
    for (const next of graph.get(path.at(-1) ?? start) ?? []) {
      if (next === start) return [...path, start];
      if (!members.has(next) || seen.has(next)) continue;
      seen.add(next);
      queue.push([...path, next]);
    }
  }
  return [start, start];
}

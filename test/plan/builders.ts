// Builders for planner tests: plain values, no I/O.
import { createHash } from 'node:crypto';
import { normalizeParameters } from '../../src/config/parameters.js';
import { DEFAULTS, type ImportDefinition } from '../../src/config/types.js';
import type { Diagnostic } from '../../src/core/diagnostic.js';
import { type PlanInput, type PlanOptions, planImports } from '../../src/plan/planner.js';
import type { Plan, PlannedImport } from '../../src/plan/types.js';
import type { ResolvedFile, ResolvedSource } from '../../src/sources/types.js';
import { type RunRecord, recordApplied } from '../../src/state/record-applied.js';
import { createEmptyState, type StateFile } from '../../src/state/types.js';

export function buildImport(name: string, extra: Partial<ImportDefinition> = {}): ImportDefinition {
  return {
    ...normalizeParameters({}, { keyFields: ['Email'] }),
    name,
    database: 1,
    source: { kind: 'files', globs: [`data/${name}/*.csv`] },
    dependsOn: [],
    safety: { ...DEFAULTS.safety },
    position: { file: 'imports.yaml', line: 1, column: 3 },
    ...extra,
  };
}

/** A file whose hash is derived from `content`, so equal content gives equal hashes. */
export function buildFile(path: string, content = path, extra: Partial<ResolvedFile> = {}): ResolvedFile {
  return {
    path,
    absPath: `/repo/${path}`,
    hash: createHash('sha256').update(content).digest('hex'),
    rows: 10,
    header: ['Email', 'Name'],
    sentBytes: content.length,
    headerBytes: 0,
    blankKeys: 0,
    duplicateKeys: 0,
    duplicateExamples: [],
    truncated: false,
    diagnostics: [],
    stamp: { size: content.length, mtimeMs: 1, ino: 1 },
    format: 'csv',
    delimiter: ',',
    encoding: 'utf-8',
    cached: false,
    ...extra,
  };
}

export function buildSource(
  importName: string,
  files: ResolvedFile[],
  extra: Partial<ResolvedSource> = {},
): ResolvedSource {
  return {
    importName,
    kind: 'files',
    files,
    format: 'csv',
    delimiter: ',',
    header: ['Email', 'Name'],
    rows: files.reduce((sum, f) => sum + f.rows, 0),
    blankKeys: files.reduce((sum, f) => sum + f.blankKeys, 0),
    duplicateKeys: 0,
    duplicateExamples: [],
    truncated: files.some((f) => f.truncated),
    diagnostics: files.flatMap((f) => f.diagnostics),
    ...extra,
  };
}

export function errorDiagnostic(code: string, file = 'data/a.csv', line = 3): Diagnostic {
  return { severity: 'error', code, message: `problem ${code}`, position: { file, line, column: 1 } };
}

export interface Scenario {
  imports: ImportDefinition[];
  sources: Map<string, ResolvedSource>;
  state: StateFile;
}

/** One import per name with one default file each; tweak the pieces afterwards. */
export function buildScenario(...imports: ImportDefinition[]): Scenario {
  const sources = new Map(
    imports.map((def) => [def.name, buildSource(def.name, [buildFile(`data/${def.name}/a.csv`)])]),
  );
  return { imports, sources, state: createEmptyState() };
}

export function plan(scenario: Scenario, options: Partial<PlanOptions> = {}): Plan {
  const input: PlanInput = {
    imports: scenario.imports.map((definition) => ({
      definition,
      source: scenario.sources.get(definition.name),
    })),
    state: scenario.state,
    options: { force: false, allowDestructive: false, ...options },
  };
  return planImports(input);
}

export function planned(result: Plan, name: string): PlannedImport {
  const found = result.imports.find((p) => p.name === name);
  if (!found) throw new Error(`no planned import ${name}`);
  return found;
}

/** The scenario's state after every import ran with `outcome`, as the apply executor records it. */
export function recordAll(scenario: Scenario, outcome: RunRecord['outcome'] = 'finished'): StateFile {
  let state = scenario.state;
  for (const def of scenario.imports) {
    const source = scenario.sources.get(def.name);
    if (source) state = recordApplied(state, def, source, { outcome, appliedAt: '2026-01-02T03:04:05.000Z' });
  }
  return state;
}

export function setSource(
  scenario: Scenario,
  name: string,
  files: ResolvedFile[],
  extra: Partial<ResolvedSource> = {},
): void {
  scenario.sources.set(name, buildSource(name, files, extra));
}

/** The state with only these imports' entries: the others look never applied. */
export function keepEntries(state: StateFile, ...names: string[]): StateFile {
  return {
    ...state,
    imports: Object.fromEntries(Object.entries(state.imports).filter(([n]) => names.includes(n))),
  };
}

export function definitionOf(scenario: Scenario, name: string): ImportDefinition {
  const def = scenario.imports.find((d) => d.name === name);
  if (!def) throw new Error(`no import ${name}`);
  return def;
}

export function sourceOf(scenario: Scenario, name: string): ResolvedSource {
  const source = scenario.sources.get(name);
  if (!source) throw new Error(`no source ${name}`);
  return source;
}

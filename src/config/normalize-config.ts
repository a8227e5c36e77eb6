// Fills defaults into a schema-valid imports.yaml: top-level `defaults` and `safety` under every import, absolute paths, ms.
import { dirname, isAbsolute, resolve } from 'node:path';
import { createDiagnostic, type Diagnostic, type Position } from '../core/diagnostic.js';
import { parseDuration } from '../core/duration.js';
import { normalizeParameters } from './parameters.js';
import { describeUrlProblem } from './rules/copernica-rules.js';
import {
  type CopernicaSettings,
  DEFAULTS,
  type ImportDefinition,
  type ImportSource,
  type RawCopernica,
  type RawImport,
  type RawImportsFile,
  type SyncConfig,
} from './types.js';
import type { YamlLocator } from './yaml-document.js';

export interface ParseConfigOptions {
  /** Absolute path of imports.yaml: relative paths in it resolve against its directory. */
  file: string;
  env?: NodeJS.ProcessEnv;
}

export function normalizeConfig(raw: RawImportsFile, locator: YamlLocator, options: ParseConfigOptions) {
  const { file, env = {} } = options;
  const diagnostics: Diagnostic[] = [];
  const dir = dirname(file);
  const state = raw.state ?? DEFAULTS.state;
  const config: SyncConfig = {
    file,
    dir,
    copernica: normalizeCopernica(raw.copernica ?? {}, env, diagnostics),
    statePath: isAbsolute(state) ? state : resolve(dir, state),
    concurrency: raw.concurrency ?? DEFAULTS.concurrency,
    imports: Object.entries(raw.imports).map(([name, imp]) => normalizeImport(name, imp, raw, locator)),
  };
  return { config, diagnostics };
}

function normalizeCopernica(
  raw: RawCopernica,
  env: NodeJS.ProcessEnv,
  problems: Diagnostic[],
): CopernicaSettings {
  const override = env.COPERNICA_API_URL;
  const problem = override ? describeUrlProblem(override) : undefined;
  if (problem) {
    const message = `the environment variable COPERNICA_API_URL ${problem}`;
    problems.push(
      createDiagnostic('error', 'E_CONFIG_URL', message, { hint: 'fix or unset COPERNICA_API_URL' }),
    );
  }
  return {
    url: stripSlash(override || raw.url || DEFAULTS.url),
    authUrl: stripSlash(raw.authUrl ?? DEFAULTS.authUrl),
    apiVersion: raw.apiVersion ?? DEFAULTS.apiVersion,
    tokenEnv: raw.tokenEnv ?? DEFAULTS.tokenEnv,
    timeoutMs: toMs(raw.timeout, DEFAULTS.timeoutMs),
    retry: {
      attempts: raw.retry?.attempts ?? DEFAULTS.retryAttempts,
      maxDelayMs: toMs(raw.retry?.maxDelay, DEFAULTS.retryMaxDelayMs),
    },
  };
}

function normalizeImport(
  name: string,
  imp: RawImport,
  file: RawImportsFile,
  locator: YamlLocator,
): ImportDefinition {
  const params = normalizeParameters(dropUndefined(file.defaults ?? {}), dropUndefined(imp));
  const definition: ImportDefinition = {
    ...params,
    name,
    database: imp.database ?? '',
    source: normalizeSource(imp, params.timeout),
    dependsOn: imp.dependsOn ?? [],
    safety: { ...DEFAULTS.safety, ...dropUndefined(file.safety ?? {}), ...dropUndefined(imp.safety ?? {}) },
    position: locator.keyAt(['imports', name]),
  };
  if (imp.description !== undefined) definition.description = imp.description;
  if (definition.source.kind === 'files') definition.sourcePositions = sourcePositions(name, imp, locator);
  return definition;
}

function normalizeSource(imp: RawImport, timeout: string | number | undefined): ImportSource {
  if (imp.command) {
    return { kind: 'command', argv: imp.command, timeoutMs: toMs(timeout, DEFAULTS.commandTimeoutMs) };
  }
  if (imp.location) return { kind: 'location', url: imp.location };
  return { kind: 'files', globs: imp.source === undefined ? [] : [imp.source].flat() };
}

function sourcePositions(name: string, imp: RawImport, locator: YamlLocator): Position[] {
  const base = ['imports', name, 'source'];
  if (!Array.isArray(imp.source)) return [locator.valueAt(base)];
  return imp.source.map((_, i) => locator.valueAt([...base, i]));
}

function toMs(value: string | number | undefined, fallback: number): number {
  return value === undefined ? fallback : (parseDuration(value) ?? fallback);
}

function stripSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

function dropUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

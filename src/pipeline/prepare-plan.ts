// load → validate → resolve sources → plan: the part of plan, apply and watch that needs no network.
import { isAbsolute, resolve } from 'node:path';
import { loadConfig } from '../config/load-config.js';
import type { ImportDefinition, SyncConfig } from '../config/types.js';
import { type Diagnostic, hasErrors, sortDiagnostics } from '../core/diagnostic.js';
import { ConfigError } from '../core/errors.js';
import { planImports } from '../plan/planner.js';
import type { Plan } from '../plan/types.js';
import { resolveSources } from '../sources/resolve-source.js';
import type { ResolvedSource } from '../sources/types.js';
import { loadState } from '../state/state-store.js';
import type { StateFile } from '../state/types.js';

export interface PrepareOptions {
  configPath: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** --state: overrides imports.yaml's `state`. */
  statePath?: string;
  only?: string[];
  force: boolean;
  allowDestructive: boolean;
  allowOutside: boolean;
  now: () => number;
}

export interface PreparedPlan {
  config: SyncConfig;
  definitions: Map<string, ImportDefinition>;
  state: StateFile;
  sources: Map<string, ResolvedSource>;
  plan: Plan;
  /** Config warnings and every source problem. */
  diagnostics: Diagnostic[];
}

/** Loads and validates imports.yaml; throws ConfigError (exit 78) when it is invalid. */
export async function loadValidConfig(
  options: Pick<PrepareOptions, 'configPath' | 'cwd' | 'env' | 'statePath'>,
) {
  const configPath = isAbsolute(options.configPath)
    ? options.configPath
    : resolve(options.cwd, options.configPath);
  const loaded = await loadConfig(configPath, { cwd: options.cwd, env: options.env });
  if (!loaded.config || hasErrors(loaded.diagnostics)) throw new ConfigError(loaded.diagnostics);
  const config = options.statePath
    ? { ...loaded.config, statePath: resolve(options.cwd, options.statePath) }
    : loaded.config;
  return { config, diagnostics: loaded.diagnostics };
}

export async function preparePlan(options: PrepareOptions): Promise<PreparedPlan> {
  const { config, diagnostics } = await loadValidConfig(options);
  const state = await loadState(config.statePath);
  return planFromConfig(config, state, diagnostics, options);
}

/** Re-plans with an already loaded config and state (watch mode, apply after a lock). */
export async function planFromConfig(
  config: SyncConfig,
  state: StateFile,
  configDiagnostics: Diagnostic[],
  options: Pick<PrepareOptions, 'cwd' | 'only' | 'force' | 'allowDestructive' | 'allowOutside' | 'now'>,
): Promise<PreparedPlan> {
  const sources = await resolveSources(config.imports, {
    configDir: config.dir,
    displayDir: options.cwd,
    cache: state.hashCache,
    nowMs: options.now(),
    allowOutside: options.allowOutside,
  });
  const plan = planImports({
    imports: config.imports,
    sources,
    state,
    options: {
      ...(options.only ? { only: options.only } : {}),
      force: options.force,
      allowDestructive: options.allowDestructive,
    },
  });
  const sourceDiagnostics = [...sources.values()].flatMap((s) => s.diagnostics);
  return {
    config,
    definitions: new Map(config.imports.map((d) => [d.name, d])),
    state,
    sources,
    plan,
    diagnostics: sortDiagnostics([...configDiagnostics, ...sourceDiagnostics]),
  };
}

/** A source reaching outside the directory of imports.yaml is a configuration error (exit 78), never a skipped import. */
export function assertConfined(prepared: PreparedPlan): void {
  const outside = prepared.diagnostics.filter((d) => d.code === 'E_SOURCE_OUTSIDE');
  if (outside.length > 0)
    throw new ConfigError(outside, 'a source reaches outside the directory of imports.yaml');
}

// Re-reads imports.yaml on a change: invalid → say so and keep the last good config; valid → swap it in.
import { isDeepStrictEqual } from 'node:util';
import type { SyncConfig } from '../config/types.js';
import type { Diagnostic } from '../core/diagnostic.js';
import { ConfigError } from '../core/errors.js';
import { loadValidConfig, type Session } from '../run/session.js';
import type { WatchLog } from './watch-log.js';

export interface ReloadInput {
  configPath: string;
  /** --state, which overrides imports.yaml's `state:`. */
  statePath: string | undefined;
  session: Session;
  log: WatchLog;
  writeProblems: (list: readonly Diagnostic[]) => void;
}

export type ReloadResult =
  | { valid: false }
  | { valid: true; config: SyncConfig; added: string[]; removed: string[]; changed: boolean };

export async function reloadConfig(input: ReloadInput): Promise<ReloadResult> {
  let loaded: Awaited<ReturnType<typeof loadValidConfig>>;
  try {
    loaded = await loadValidConfig({
      config: input.configPath,
      cwd: input.session.cwd,
      env: input.session.env,
      state: input.statePath,
    });
  } catch (error) {
    if (error instanceof ConfigError) input.writeProblems(error.diagnostics);
    else
      input.log.problem(
        'error',
        `cannot read ${input.configPath}: ${error instanceof Error ? error.message : String(error)}`,
      );
    input.log.problem('config-invalid', 'imports.yaml is invalid; still running the last good config', {
      ...(error instanceof ConfigError
        ? { errors: error.diagnostics.filter((d) => d.severity === 'error').length }
        : {}),
    });
    return { valid: false };
  }
  const before = input.session.config;
  let config = loaded.config;
  if (config.statePath !== before.statePath) {
    // The lock is held on the old state file: moving it needs a restart.
    input.log.problem(
      'state-path-kept',
      `the state path changed to ${config.statePath}; keeping ${before.statePath} until a restart`,
    );
    config = { ...config, statePath: before.statePath };
  }
  if (!isDeepStrictEqual(config.copernica, before.copernica)) await input.session.resetClient();
  input.writeProblems(loaded.configDiagnostics);
  input.session.config = config;
  const oldNames = new Set(before.imports.map((d) => d.name));
  const newNames = new Set(config.imports.map((d) => d.name));
  return {
    valid: true,
    config,
    added: [...newNames].filter((n) => !oldNames.has(n)),
    removed: [...oldNames].filter((n) => !newNames.has(n)),
    changed: !isDeepStrictEqual(stripPositions(config), stripPositions(before)),
  };
}

/** Positions move when lines are added above an import; that alone changes nothing to run. */
function stripPositions(config: SyncConfig): unknown {
  const imports = config.imports.map(({ position: _p, sourcePositions: _s, ...rest }) => rest);
  return { imports, copernica: config.copernica, concurrency: config.concurrency };
}

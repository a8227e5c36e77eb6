// Re-reads imports.yaml on a change: invalid → say so and keep the last good config; valid → swap it in.
import { isDeepStrictEqual } from 'node:util';
import type { SyncConfig } from '../config/types.js';
import { ConfigError } from '../core/errors.js';
import { loadValidConfig, type Session } from '../run/session.js';
import { messageOf, type WatchLog } from './watch-log.js';

export type ReloadResult =
  | { valid: false }
  | { valid: true; config: SyncConfig; added: string[]; removed: string[]; changed: boolean };

/** `statePath` is --state, which overrides imports.yaml's `state:`. */
export async function reloadConfig(
  configPath: string,
  statePath: string | undefined,
  session: Session,
  log: WatchLog,
): Promise<ReloadResult> {
  let loaded: Awaited<ReturnType<typeof loadValidConfig>>;
  try {
    loaded = await loadValidConfig({
      config: configPath,
      cwd: session.cwd,
      env: session.env,
      state: statePath,
    });
  } catch (error) {
    const invalid = error instanceof ConfigError;
    if (invalid) log.diagnostics(error.diagnostics);
    else log.problem('error', `cannot read ${configPath}: ${messageOf(error)}`);
    const errors = invalid ? { errors: error.diagnostics.filter((d) => d.severity === 'error').length } : {};
    log.problem('config-invalid', 'imports.yaml is invalid; still running the last good config', errors);
    return { valid: false };
  }
  const before = session.config;
  let config = loaded.config;
  if (config.statePath !== before.statePath) {
    // The lock is held on the old state file: moving it needs a restart.
    const message = `the state path changed to ${config.statePath}; keeping ${before.statePath} until a restart`;
    log.problem('state-path-kept', message);
    config = { ...config, statePath: before.statePath };
  }
  if (!isDeepStrictEqual(config.copernica, before.copernica)) await session.resetClient();
  log.diagnostics(loaded.configDiagnostics);
  session.config = config;
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

// What one run (or a whole watch) works with: the loaded config, the state (locked when it writes), the client.
import { isAbsolute, resolve } from 'node:path';
import { loadConfig } from '../config/load-config.js';
import type { SyncConfig } from '../config/types.js';
import type { CopernicaClient } from '../copernica/client.js';
import { type Diagnostic, hasErrors } from '../core/diagnostic.js';
import { ConfigError } from '../core/errors.js';
import type { StateLock } from '../state/lock.js';
import { removeStaleSnapshotTemps } from '../state/row-snapshot.js';
import { loadState, removeStaleTempFiles } from '../state/state-store.js';
import { createStateWriter, type StateWriter } from '../state/state-writer.js';
import { createClientFromConfig } from './create-client.js';
import type { RunEvent } from './events.js';
import type { RunOptions } from './options.js';

export interface Session {
  /** Watch swaps in a reloaded config. */
  config: SyncConfig;
  /** Warnings of imports.yaml (errors never get this far). */
  configDiagnostics: Diagnostic[];
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /** The state as it is now; saved only by a session that holds the lock. */
  readonly writer: StateWriter;
  readonly lock: StateLock | undefined;
  readonly signal: AbortSignal;
  emit(event: RunEvent): void;
  /** Created on first use (it needs the token), then reused: v4's JWT is fetched once. */
  client(options?: { signal?: AbortSignal }): CopernicaClient;
  /** Forget the client (the copernica settings changed). */
  resetClient(): Promise<void>;
  close(): Promise<void>;
}

export interface SessionOptions {
  /** Take the state lock for this command (apply, watch, status): the session may then write the state. */
  lockFor?: string;
}

export async function openSession(
  options: RunOptions,
  sessionOptions: SessionOptions = {},
): Promise<Session> {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const emit = options.onEvent ?? (() => {});
  const loaded = await loadValidConfig({
    config: options.config ?? 'imports.yaml',
    cwd,
    env,
    state: options.state,
  });
  emit({ type: 'config-loaded', file: loaded.config.file, tokenEnv: loaded.config.copernica.tokenEnv });
  const lock = sessionOptions.lockFor
    ? await takeLock(loaded.config.statePath, sessionOptions.lockFor, emit)
    : undefined;
  try {
    // A crash mid-write can leave a temp file beside the state; only the lock holder may remove it.
    if (lock) {
      await removeStaleTempFiles(loaded.config.statePath);
      await removeStaleSnapshotTemps(loaded.config.statePath);
    }
    const writer = createStateWriter(loaded.config.statePath, await loadState(loaded.config.statePath));
    return createSession({
      ...loaded,
      cwd,
      env,
      writer,
      lock,
      emit,
      signal: options.signal ?? new AbortController().signal,
    });
  } catch (error) {
    await lock?.release();
    throw error;
  }
}

/** Loads and validates imports.yaml; throws ConfigError (exit 78) when it is invalid. */
export async function loadValidConfig(options: {
  config: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  state?: string | undefined;
}): Promise<{ config: SyncConfig; configDiagnostics: Diagnostic[] }> {
  const path = isAbsolute(options.config) ? options.config : resolve(options.cwd, options.config);
  const loaded = await loadConfig(path, { cwd: options.cwd, env: options.env });
  if (!loaded.config || hasErrors(loaded.diagnostics)) throw new ConfigError(loaded.diagnostics);
  const config = options.state
    ? { ...loaded.config, statePath: resolve(options.cwd, options.state) }
    : loaded.config;
  return { config, configDiagnostics: loaded.diagnostics };
}

async function takeLock(
  statePath: string,
  command: string,
  emit: (event: RunEvent) => void,
): Promise<StateLock> {
  const { acquireLock } = await import('../state/lock.js');
  return acquireLock(statePath, { command, onWarning: (message) => emit({ type: 'warning', message }) });
}

interface SessionParts {
  config: SyncConfig;
  configDiagnostics: Diagnostic[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  writer: StateWriter;
  lock: StateLock | undefined;
  emit: (event: RunEvent) => void;
  signal: AbortSignal;
}

function createSession(parts: SessionParts): Session {
  let client: CopernicaClient | undefined;
  const session: Session = {
    ...parts,
    client(options = {}) {
      client ??= createClientFromConfig(session.config, {
        env: parts.env,
        ...options,
        onEvent: (event) => {
          if (event.type === 'retry') {
            parts.emit({
              type: 'retry',
              message: `${event.method} ${event.path}: ${event.reason}`,
              delayMs: event.delayMs,
            });
          }
        },
      });
      return client;
    },
    async resetClient() {
      await client?.close();
      client = undefined;
    },
    async close() {
      try {
        await session.resetClient();
        if (parts.lock) await parts.writer.flush();
      } finally {
        await parts.lock?.release();
      }
    },
  };
  return session;
}

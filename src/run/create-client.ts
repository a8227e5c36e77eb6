// Builds the Copernica client from imports.yaml and the environment; the token comes only from `tokenEnv`.
import type { SyncConfig } from '../config/types.js';
import { type ClientEvent, type CopernicaClient, createCopernicaClient } from '../copernica/client.js';
import { CopernicaSyncError } from '../core/errors.js';
import { EXIT } from '../core/exit-codes.js';

export interface ClientSetup {
  env: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  onEvent?: (event: ClientEvent) => void;
}

export function readToken(config: SyncConfig, env: NodeJS.ProcessEnv): string {
  const name = config.copernica.tokenEnv;
  const token = env[name];
  if (token === undefined || token.trim() === '') {
    // An empty variable is a different mistake (an unset CI secret) from a missing one: say which.
    const state = token === undefined ? 'is not set' : 'is empty';
    throw new CopernicaSyncError('E_TOKEN_MISSING', `the environment variable ${name} ${state}`, {
      hint: `export ${name}=<your Copernica access token> (in CI: check that the secret exists and is passed to this step), or set copernica.tokenEnv in imports.yaml`,
      exitCode: EXIT.config,
    });
  }
  return token.trim();
}

export function createClientFromConfig(config: SyncConfig, setup: ClientSetup): CopernicaClient {
  const { copernica } = config;
  return createCopernicaClient({
    baseUrl: copernica.url,
    apiVersion: copernica.apiVersion,
    token: readToken(config, setup.env),
    authUrl: setup.env.COPERNICA_AUTH_URL || copernica.authUrl,
    timeoutMs: copernica.timeoutMs,
    retry: copernica.retry,
    ...(setup.signal ? { signal: setup.signal } : {}),
    ...(setup.onEvent ? { onEvent: setup.onEvent } : {}),
  });
}

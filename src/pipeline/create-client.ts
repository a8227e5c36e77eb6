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
  const token = env[config.copernica.tokenEnv];
  if (token === undefined || token.trim() === '') {
    throw new CopernicaSyncError(
      'E_TOKEN_MISSING',
      `the environment variable ${config.copernica.tokenEnv} is not set`,
      {
        hint: `export ${config.copernica.tokenEnv}=<your Copernica access token> (or set copernica.tokenEnv in imports.yaml)`,
        exitCode: EXIT.config,
      },
    );
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

// Polls GET import/{id} with growing pauses until Copernica reports a last run or a last error.
import type { CopernicaSyncError } from '../core/errors.js';
import { EXIT } from '../core/exit-codes.js';
import { createApiError } from './api-error.js';
import type { RetryContext } from './send-with-retry.js';
import type { ImportStatus, WaitOptions } from './types.js';

type WaitDeps = Pick<RetryContext, 'sleep' | 'now' | 'onEvent' | 'secrets'>;

const FIRST_DELAY_MS = 250;
const MAX_DELAY_MS = 5000;
const GROWTH = 1.6;

export async function waitForImportDone(
  getImport: (id: string) => Promise<ImportStatus>,
  id: string,
  options: WaitOptions,
  deps: WaitDeps,
): Promise<ImportStatus> {
  const deadline = deps.now() + options.timeoutMs;
  for (let pause = FIRST_DELAY_MS; ; pause = Math.min(MAX_DELAY_MS, Math.round(pause * GROWTH))) {
    const status = await getImport(id);
    options.onProgress?.(status);
    if (isSet(status.lasterror)) {
      const message = `import ${id} failed in Copernica: ${String(status.lasterror)}`;
      throw createApiError('E_IMPORT_FAILED', message, { secrets: deps.secrets() });
    }
    if (isSet(status.lastrun)) return status;
    const left = deadline - deps.now();
    if (left <= 0) throw waitTimeout(id, options.timeoutMs, deps);
    const nextDelayMs = Math.min(pause, left);
    deps.onEvent({ type: 'poll', importId: id, status: String(status.status ?? ''), nextDelayMs });
    await sleepOrAbort(deps, id, nextDelayMs, options.signal);
  }
}

/** Copernica writes absent timestamps as false; tolerate null, empty and zero dates too. */
export function isSet(value: unknown): boolean {
  if (value === false || value === null || value === undefined) return false;
  const text = String(value).trim();
  return text !== '' && text !== '0' && text !== 'false' && !/^0000-00-00/.test(text);
}

function waitTimeout(id: string, timeoutMs: number, deps: WaitDeps): CopernicaSyncError {
  const message = `import ${id} was accepted but had not finished after ${Math.round(timeoutMs / 1000)} s`;
  const hint = `it may still run: check it later with \`copernica-sync status --live\` (import ID ${id})`;
  return createApiError('E_IMPORT_WAIT_TIMEOUT', message, { secrets: deps.secrets(), hint });
}

async function sleepOrAbort(deps: WaitDeps, id: string, ms: number, signal?: AbortSignal): Promise<void> {
  try {
    await deps.sleep(ms, signal);
  } catch (cause) {
    throw createApiError('E_ABORTED', `stopped waiting for import ${id}: it may still run`, {
      secrets: deps.secrets(),
      cause,
      exitCode: EXIT.interrupted,
    });
  }
}

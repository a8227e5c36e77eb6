// On SIGINT/SIGTERM: stop reacting, give in-flight imports a grace time, then abandon them and write the state.
import type { StateWriter } from '../state/state-writer.js';
import type { EventRouter } from './event-router.js';
import type { ImportQueue } from './import-queue.js';
import { formatDelay, messageOf, type WatchLog } from './watch-log.js';
import type { SourceWatcher } from './watcher.js';

export interface DrainInput {
  log: WatchLog;
  queue: ImportQueue;
  router: Pick<EventRouter, 'stop' | 'whenIdle'>;
  watcher: SourceWatcher;
  /** The start-up pass, which may still be running. */
  initial: Promise<void>;
  passAbort: AbortController;
  writer: StateWriter;
}

/** After an abort, in-flight runs get this long to record their (unknown) outcome in the state. */
const RECORD_GRACE_MS = 10_000;

/** `shutdownTimeoutMs`: how long in-flight imports may take to finish. */
export async function drainAndStop(input: DrainInput, { shutdownTimeoutMs }: { shutdownTimeoutMs: number }) {
  const { log, queue } = input;
  const busy = [...queue.running(), ...((await within(input.initial, 0)) ? [] : ['the start-up pass'])];
  const waiting =
    busy.length > 0
      ? `waiting up to ${formatDelay(shutdownTimeoutMs)} for ${busy.join(', ')}`
      : 'nothing running';
  log.event('stopping', `watch: stopping; ${waiting}`, { running: busy });
  queue.stop();
  input.router.stop();
  await input.watcher.close();
  const drained = Promise.all([
    queue.whenIdle(),
    input.router.whenIdle(),
    input.initial.catch(() => undefined),
  ]);
  if (!(await within(drained, shutdownTimeoutMs))) {
    const names = queue.running();
    const who = names.length > 0 ? names.join(', ') : 'the start-up pass';
    log.problem('abandoned', `watch: abandoning ${who}; outcome unknown (recorded in the state)`, { names });
    input.passAbort.abort();
    await within(drained, RECORD_GRACE_MS);
  }
  await input.writer.flush().catch((error: unknown) => {
    log.problem('error', `cannot write the state: ${messageOf(error)}`);
  });
}

/** Whether the promise resolves within ms. */
async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true as const), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

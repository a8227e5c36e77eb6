// The chokidar wrapper: watches the glob bases and imports.yaml, filters through the targets, re-targets on reload.
import type { Stats } from 'node:fs';
import { existsSync } from 'node:fs';
import { type FSWatcher, watch } from 'chokidar';
import { isInside, type WatchTargets } from './watch-targets.js';

export type FileEventKind = 'add' | 'change' | 'unlink' | 'unlinkDir' | 'addDir';

export interface FileEvent {
  kind: FileEventKind;
  /** Absolute path. */
  path: string;
}

export interface WatcherOptions {
  poll: boolean;
  /** Polling interval (chokidar's `interval`). */
  intervalMs?: number;
  /** awaitWriteFinish: how long a file's size must stay put before its event fires. */
  stabilityMs: number;
  onEvent: (event: FileEvent) => void;
  onError: (error: Error) => void;
}

export interface SourceWatcher {
  /** Watches the new targets' paths and stops watching bases no import uses any more. */
  retarget(targets: WatchTargets): void;
  close(): Promise<void>;
  readonly running: boolean;
  readonly polling: boolean;
}

export async function startWatcher(initial: WatchTargets, options: WatcherOptions): Promise<SourceWatcher> {
  let targets = initial;
  let running = true;
  // chokidar lets CHOKIDAR_USEPOLLING override the option (even '' turns polling off); the caller decided already.
  const envPoll = process.env.CHOKIDAR_USEPOLLING;
  delete process.env.CHOKIDAR_USEPOLLING;
  const fsw: FSWatcher = watch(initial.roots, {
    ignoreInitial: true,
    persistent: true,
    atomic: true,
    awaitWriteFinish: {
      stabilityThreshold: options.stabilityMs,
      pollInterval: Math.max(10, Math.min(25, options.stabilityMs / 2)),
    },
    usePolling: options.poll,
    ...(options.intervalMs ? { interval: options.intervalMs, binaryInterval: options.intervalMs } : {}),
    // A function, so re-targeting takes effect without restarting; it sees the current targets.
    ignored: (path: string, stats?: Stats) => targets.isIgnored(path, stats),
  });
  if (envPoll !== undefined) process.env.CHOKIDAR_USEPOLLING = envPoll;
  for (const kind of ['add', 'change', 'unlink', 'unlinkDir', 'addDir'] as const) {
    fsw.on(kind, (path: string) => options.onEvent({ kind, path }));
  }
  fsw.on('error', (error: unknown) =>
    options.onError(error instanceof Error ? error : new Error(String(error))),
  );
  await new Promise<void>((resolve) => fsw.once('ready', () => resolve()));
  return {
    retarget(next) {
      const before = targets;
      targets = next;
      const fresh = [...next.roots, ...next.bases].filter(
        (p) => !before.roots.includes(p) && !before.bases.includes(p),
      );
      const gone = [...before.roots, ...before.bases].filter(
        (p) => ![...next.roots, ...next.bases].some((q) => isInside(q, p)),
      );
      if (gone.length > 0) fsw.unwatch(gone);
      const existing = fresh.filter((p) => existsSync(p));
      if (existing.length > 0) fsw.add(existing);
    },
    async close() {
      running = false;
      await fsw.close();
    },
    get running() {
      return running;
    },
    polling: options.poll,
  };
}

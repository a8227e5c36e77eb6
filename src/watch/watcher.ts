// The chokidar wrapper: watches the glob bases and imports.yaml, filters through the targets, re-targets on reload.
import { existsSync, type Stats } from 'node:fs';
import { type FSWatcher, watch } from 'chokidar';
import { isInside, type WatchTargets } from './watch-targets.js';

const EVENT_KINDS = ['add', 'change', 'unlink', 'unlinkDir', 'addDir'] as const;

export interface FileEvent {
  kind: (typeof EVENT_KINDS)[number];
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
  onError: (error: unknown) => void;
}

export type SourceWatcher = Awaited<ReturnType<typeof startWatcher>>;

export async function startWatcher(initial: WatchTargets, options: WatcherOptions) {
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
  for (const kind of EVENT_KINDS) fsw.on(kind, (path: string) => options.onEvent({ kind, path }));
  fsw.on('error', options.onError);
  await new Promise<void>((resolve) => fsw.once('ready', () => resolve()));
  return {
    /** Watches the new targets' paths and stops watching bases no import uses any more. */
    retarget(next: WatchTargets): void {
      const before = [...targets.roots, ...targets.bases];
      const after = [...next.roots, ...next.bases];
      targets = next;
      const gone = before.filter((p) => !after.some((q) => isInside(q, p)));
      if (gone.length > 0) fsw.unwatch(gone);
      const fresh = after.filter((p) => !before.includes(p) && existsSync(p));
      if (fresh.length > 0) fsw.add(fresh);
    },
    async close(): Promise<void> {
      running = false;
      await fsw.close();
    },
    get running(): boolean {
      return running;
    },
    polling: options.poll,
  };
}

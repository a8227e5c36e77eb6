// Helpers for tests about child processes: wait for a pid file a script writes, and ask whether a pid still runs.
import { existsSync, readFileSync, watch } from 'node:fs';
import { basename, dirname } from 'node:path';

/** Resolves with the pid a script wrote to `path` (e.g. `echo $! > child.pid`), waiting on file events. */
export function waitForPidFile(path: string, timeoutMs = 15_000): Promise<number> {
  return new Promise((resolve, reject) => {
    const watcher = watch(dirname(path));
    const done = (error?: Error, pid?: number) => {
      clearTimeout(deadline);
      watcher.close();
      if (error) reject(error);
      else resolve(pid ?? 0);
    };
    const check = () => {
      const pid = readPid(path);
      if (pid !== undefined) done(undefined, pid);
    };
    const deadline = setTimeout(
      () => done(new Error(`no pid in ${basename(path)} after ${timeoutMs} ms`)),
      timeoutMs,
    );
    watcher.on('change', check);
    check();
  });
}

/** The pid in a file, once its line is complete. */
export function readPid(path: string): number | undefined {
  if (!existsSync(path)) return undefined;
  const match = /^(\d+)\n/.exec(readFileSync(path, 'utf8'));
  return match ? Number(match[1]) : undefined;
}

/** False for a pid that is gone or a zombie (a container's init may never reap what it inherits). */
export function isProcessRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = `/proc/${pid}/stat`;
  if (!existsSync(stat)) return process.platform !== 'linux';
  // The state letter follows the parenthesised command name.
  return !/\)\s+Z\s/.test(readFileSync(stat, 'utf8'));
}

/** Resolves true once `pid` has stopped running, false if it still runs after `timeoutMs` (a kill is not instant). */
export async function waitUntilGone(pid: number, timeoutMs = 5000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isProcessRunning(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return true;
}

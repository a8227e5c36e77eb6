// The lock beside the state file: one run per state; a lock whose process is gone is taken over with a warning.
import { randomBytes } from 'node:crypto';
import { readFileSync, unlinkSync } from 'node:fs';
import { link, mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { CopernicaSyncError } from '../core/errors.js';
import { EXIT } from '../core/exit-codes.js';
import { stateAccessError } from './access-error.js';
import { isErrno } from './state-store.js';

export interface LockHolder {
  pid: number;
  host: string;
  /** ISO 8601. */
  startedAt: string;
  command: string;
}

export interface StateLock {
  readonly path: string;
  readonly holder: LockHolder;
  /** Removes the lock if it is still ours; safe to call twice. */
  release(): Promise<void>;
}

export interface LockOptions {
  command: string;
  onWarning?: (message: string) => void;
  now?: () => Date;
}

const MAX_ATTEMPTS = 5;

/** Locks this process holds, so an exit that cannot wait (a second Ctrl-C) still removes them. */
const held = new Map<string, string>();

/** Synchronously removes every lock this process still holds (and only if it is still ours). */
export function releaseHeldLocksNow(): void {
  for (const [path, text] of held) {
    try {
      if (readFileSync(path, 'utf8') === text) unlinkSync(path);
    } catch {
      // gone already, or unreadable: nothing of ours to remove
    }
  }
  held.clear();
}

export async function acquireLock(statePath: string, options: LockOptions): Promise<StateLock> {
  const path = `${statePath}.lock`;
  const holder: LockHolder = {
    pid: process.pid,
    host: hostname(),
    startedAt: (options.now?.() ?? new Date()).toISOString(),
    command: options.command,
  };
  const text = `${JSON.stringify(holder)}\n`;
  try {
    await mkdir(dirname(path), { recursive: true });
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      if (await tryCreate(path, text)) return createStateLock(path, holder, text);
      await takeOverIfStale(path, options.onWarning);
    }
  } catch (error) {
    if (error instanceof CopernicaSyncError) throw error;
    throw stateAccessError('E_STATE_LOCK', 'cannot take the lock', path, error);
  }
  throw lockedError(path, await readHolder(path));
}

/** Writes a temp file, then hard-links it into place: the lock appears atomically with its content, or not at all. */
async function tryCreate(path: string, text: string): Promise<boolean> {
  const temp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.new`;
  try {
    await writeFile(temp, text, { flag: 'wx', mode: 0o600 });
    await link(temp, path).catch(async (error: unknown) => {
      // Filesystems without hard links: fall back to a plain exclusive create.
      if (!['EPERM', 'ENOTSUP', 'EOPNOTSUPP'].some((code) => isErrno(error, code))) throw error;
      await writeFile(path, text, { flag: 'wx', mode: 0o600 });
    });
    return true;
  } catch (error) {
    if (isErrno(error, 'EEXIST')) return false;
    throw error;
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}

/** Throws E_STATE_LOCKED for a live (or remote) holder; moves a stale or corrupt lock out of the way. */
async function takeOverIfStale(path: string, onWarning: LockOptions['onWarning']): Promise<void> {
  const seen = await readFile(path, 'utf8').catch((error: unknown) => {
    if (isErrno(error, 'ENOENT')) return undefined;
    throw error;
  });
  if (seen === undefined) return; // released meanwhile: try again
  const holder = parseHolder(seen);
  if (holder && !isStale(holder)) throw lockedError(path, holder);
  // Rename first so that two runs taking over the same stale lock cannot delete each other's new lock.
  const aside = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.stale`;
  try {
    await rename(path, aside);
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return;
    throw error;
  }
  const moved = await readFile(aside, 'utf8');
  if (moved !== seen) {
    // Someone replaced the stale lock just before our rename: put theirs back and report it.
    await link(aside, path).catch(() => undefined);
    await unlink(aside);
    throw lockedError(path, parseHolder(moved));
  }
  await unlink(aside);
  onWarning?.(
    holder
      ? `took over a stale lock of ${describeHolder(holder)}: that process is gone`
      : `took over a corrupt lock file ${path}`,
  );
}

function isStale(holder: LockHolder): boolean {
  if (holder.host !== hostname()) return false; // cannot see another host's processes
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (error) {
    return isErrno(error, 'ESRCH');
  }
}

function createStateLock(path: string, holder: LockHolder, text: string): StateLock {
  let released = false;
  held.set(path, text);
  return {
    path,
    holder,
    async release() {
      if (released) return;
      released = true;
      held.delete(path);
      const now = await readFile(path, 'utf8').catch(() => undefined);
      if (now === text) await unlink(path).catch(() => undefined);
    },
  };
}

async function readHolder(path: string): Promise<LockHolder | undefined> {
  return parseHolder(await readFile(path, 'utf8').catch(() => ''));
}

function parseHolder(text: string): LockHolder | undefined {
  try {
    const raw = JSON.parse(text) as Partial<LockHolder>;
    if (
      typeof raw.pid !== 'number' ||
      !Number.isInteger(raw.pid) ||
      raw.pid <= 0 ||
      typeof raw.host !== 'string'
    )
      return undefined;
    return {
      pid: raw.pid,
      host: raw.host,
      startedAt: String(raw.startedAt ?? '?'),
      command: String(raw.command ?? '?'),
    };
  } catch {
    return undefined;
  }
}

function describeHolder(holder: LockHolder): string {
  return `pid ${holder.pid} on ${holder.host} (\`${holder.command}\`, since ${holder.startedAt})`;
}

function lockedError(path: string, holder: LockHolder | undefined): CopernicaSyncError {
  const who = holder ? describeHolder(holder) : 'another run';
  const remote = holder !== undefined && holder.host !== hostname();
  return new CopernicaSyncError('E_STATE_LOCKED', `the state is locked by ${who}`, {
    exitCode: EXIT.failure,
    hint: remote
      ? `wait for that run to finish; if no run is active on ${holder.host}, delete ${path}`
      : `wait for that run to finish, or stop it; the lock is ${path}`,
  });
}

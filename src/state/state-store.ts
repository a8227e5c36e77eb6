// Reads and atomically writes the state file: never half-written, never silently replaced when unreadable.
import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { CopernicaSyncError } from '../core/errors.js';
import { EXIT } from '../core/exit-codes.js';
import { canonicalJson } from '../plan/canonical-json.js';
import { stateAccessError } from './access-error.js';
import { createEmptyState, STATE_VERSION, type StateFile } from './types.js';

/** A missing file is an empty state; anything unreadable is an error that says how to recover. */
export async function loadState(path: string): Promise<StateFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return createEmptyState();
    throw stateAccessError('E_STATE_READ', 'cannot read the state file', path, error);
  }
  return parseState(text, path);
}

export function parseState(text: string, path: string): StateFile {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw corrupt(path, `is not valid JSON${jsonErrorPlace(text, error)}`, error);
  }
  if (!isRecord(raw)) throw corrupt(path, 'does not hold a JSON object');
  if (raw.version !== STATE_VERSION) {
    throw new CopernicaSyncError(
      'E_STATE_VERSION',
      `state file ${path} has version ${JSON.stringify(raw.version)}; this copernica-sync reads version ${STATE_VERSION}`,
      {
        exitCode: EXIT.failure,
        hint: 'use the copernica-sync version that wrote it, or move the file aside and re-run with `apply --force`',
      },
    );
  }
  if (!isRecord(raw.imports) || (raw.hashCache !== undefined && !isRecord(raw.hashCache))) {
    throw corrupt(path, 'lacks the `imports` or `hashCache` object');
  }
  const imports = Object.fromEntries(
    Object.entries(raw.imports).map(([name, entry]) => [name, renameOutcomes(entry)]),
  );
  return { version: STATE_VERSION, imports, hashCache: raw.hashCache ?? {} } as StateFile;
}

/** States written before `finished` was the word say `succeeded`: the same thing. */
function renameOutcomes(entry: unknown): unknown {
  if (!isRecord(entry)) return entry;
  const renamed: Record<string, unknown> = { ...entry };
  if (entry.outcome === 'succeeded') renamed.outcome = 'finished';
  if (isRecord(entry.perFile)) {
    renamed.perFile = Object.fromEntries(
      Object.entries(entry.perFile).map(([path, run]) => [path, renameOutcomes(run)]),
    );
  }
  return renamed;
}

/** Sorted keys and 2-space indent: the same state always gives the same bytes (and readable diffs). */
export function serializeState(state: StateFile): string {
  return `${canonicalJson(state, 2)}\n`;
}

/** Temp file in the same directory, fsync, rename over the old file, fsync the directory. */
export async function saveState(path: string, state: StateFile): Promise<void> {
  const text = serializeState(state);
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await mkdir(dir, { recursive: true });
    await writeSynced(temp, text);
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw stateAccessError('E_STATE_WRITE', 'cannot write the state file', path, error);
  }
  await syncDirectory(dir);
}

/** True for the names saveState uses for its temp files next to `statePath`. */
export function isStateTempFile(statePath: string, name: string): boolean {
  return name.startsWith(`.${basename(statePath)}.`) && name.endsWith('.tmp');
}

async function writeSynced(file: string, text: string): Promise<void> {
  const handle = await open(file, 'wx', 0o600);
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Makes the rename itself durable; some platforms cannot open a directory, which is fine to skip. */
export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r').catch(() => undefined);
  if (!handle) return;
  try {
    await handle.sync().catch(() => undefined);
  } finally {
    await handle.close();
  }
}

/** ` at line L, column C` from V8's "... at position N" (a cut-off write or a bad hand edit shows where). */
function jsonErrorPlace(text: string, error: unknown): string {
  const offset = /at position (\d+)/.exec(error instanceof Error ? error.message : '')?.[1];
  const at = offset === undefined ? text.length : Number(offset);
  const before = text.slice(0, at);
  const line = before.split('\n').length;
  return ` at line ${line}, column ${at - before.lastIndexOf('\n')}`;
}

function corrupt(path: string, what: string, cause?: unknown): CopernicaSyncError {
  return new CopernicaSyncError('E_STATE_CORRUPT', `state file ${path} ${what}`, {
    cause,
    exitCode: EXIT.failure,
    hint: `restore it from a backup, or move it aside (mv ${path} ${path}.bad) and re-run with \`apply --force\``,
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isErrno(error: unknown, code: string): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === code;
}

/** Deletes temp files a crashed save left beside the state; call it only while holding the lock. */
export async function removeStaleTempFiles(statePath: string): Promise<string[]> {
  const dir = dirname(statePath);
  const names = await readdir(dir).catch(() => [] as string[]);
  const stale = names.filter((name) => isStateTempFile(statePath, name));
  await Promise.all(stale.map((name) => unlink(join(dir, name)).catch(() => undefined)));
  return stale;
}

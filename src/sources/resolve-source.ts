// resolveSources: every import's source read once: globs → files (or a command's output) → cached or fresh scans.

import { stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import type { ImportDefinition } from '../config/types.js';
import type { Diagnostic } from '../core/diagnostic.js';
import type { HashCacheEntry } from '../state/types.js';
import { assembleSource } from './assemble-source.js';
import { createFileTasks, createTask, type FileTask, readProblem } from './file-tasks.js';
import { matchGlobs, toGlobInputs } from './resolve-globs.js';
import type { FileScanner } from './scan-pool.js';
import type { ResolvedSource } from './types.js';

export { toHashCacheEntries } from './hash-cache.js';

export interface ResolveContext {
  /** Absolute directory of imports.yaml. */
  configDir: string;
  /** Paths in diagnostics are shown relative to this (usually the cwd). */
  displayDir: string;
  /** The state's hash cache, keyed by absolute path. */
  cache: Record<string, HashCacheEntry>;
  /** The caller clock (kept for callers; the cache write time is given to toHashCacheEntries instead). */
  nowMs: number;
  allowOutside: boolean;
  /** Where command output goes (default: the OS temp directory). */
  tempDir?: string;
  /**
   * Rows mode for an import (the row-level diff): given its files and the hashes the cache knows (undefined:
   * to be scanned), whether to read every file of it with rows, past the cache.
   */
  rowsFor?: (
    def: ImportDefinition,
    files: ReadonlyArray<{ path: string; hash: string | undefined }>,
  ) => boolean;
  /** Called once the files are being scanned (workers started): what loads meanwhile starts here. */
  onScan?: () => void;
  /** Worker threads for scanning; default: up to 2 when there is much to read, else none. */
  workers?: number;
  /** Aborted when the tool is interrupted: a running command source is ended. */
  signal?: AbortSignal;
}

export const COMMAND_PATH = '<command>';

interface Prepared {
  def: ImportDefinition;
  tasks: FileTask[];
  diagnostics: Diagnostic[];
  tempDir?: string;
}

export async function resolveSource(def: ImportDefinition, ctx: ResolveContext): Promise<ResolvedSource> {
  const sources = await resolveSources([def], ctx);
  return sources.get(def.name) as ResolvedSource;
}

export async function resolveSources(
  defs: ImportDefinition[],
  ctx: ResolveContext,
): Promise<Map<string, ResolvedSource>> {
  const prepared: Prepared[] = [];
  for (const def of defs) prepared.push(withRows(await prepare(def, ctx), ctx));
  await scanPending(prepared, ctx);
  const out = new Map<string, ResolvedSource>();
  for (const p of prepared) {
    const source = assembleSource(p.def, p.def.source.kind, p.tasks, p.diagnostics);
    if (p.tempDir) source.tempDir = p.tempDir;
    out.set(p.def.name, source);
  }
  return out;
}

/** A cached scan has no rows: an import read in rows mode is read whole. */
function withRows(p: Prepared, ctx: ResolveContext): Prepared {
  const files = p.tasks.map((t) => ({ path: t.path, hash: t.scan?.hash }));
  if (!ctx.rowsFor?.(p.def, files)) return p;
  for (const task of p.tasks) {
    delete task.scan;
    task.cached = false;
    task.options = { ...task.options, rows: true };
  }
  return p;
}

/** Removes the temp files of command sources. */
export async function disposeSources(sources: Iterable<ResolvedSource>): Promise<void> {
  for (const source of sources) {
    if (!source.tempDir) continue;
    const { removeCommandOutput } = await import('./run-command.js');
    await removeCommandOutput(source.tempDir);
  }
}

async function prepare(def: ImportDefinition, ctx: ResolveContext): Promise<Prepared> {
  const source = def.source;
  if (source.kind === 'location') return { def, tasks: [], diagnostics: [] };
  if (source.kind === 'command') return prepareCommand(def, source.argv, source.timeoutMs, ctx);
  const matched = await matchGlobs(ctx.configDir, toGlobInputs(def), {
    allowOutside: ctx.allowOutside,
    importName: def.name,
    allowEmpty: def.mode === 'per-file',
  });
  const { tasks, diagnostics } = await createFileTasks(def, matched.files, ctx, matched.stamps);
  return { def, tasks, diagnostics: [...matched.diagnostics, ...diagnostics] };
}

async function prepareCommand(
  def: ImportDefinition,
  argv: string[],
  timeoutMs: number,
  ctx: ResolveContext,
): Promise<Prepared> {
  const { runCommandSource } = await import('./run-command.js');
  const output = await runCommandSource(def, argv, timeoutMs, ctx);
  const prepared: Prepared = { def, tasks: [], diagnostics: output.diagnostics, tempDir: output.tempDir };
  if (output.diagnostics.length > 0) return prepared;
  const info = await stat(output.stdoutPath);
  const stamp = { size: info.size, mtimeMs: info.mtimeMs, ino: info.ino };
  const file = { path: COMMAND_PATH, absPath: output.stdoutPath, displayPath: COMMAND_PATH, stamp };
  prepared.tasks.push(createTask(def, { ...file, format: def.format ?? 'csv' }));
  return prepared;
}

/**
 * Scans every uncached file of every import on one scanner (a worker pool when there is much to read).
 * The scanner's modules load only when something is to be read: a warm plan never needs them.
 */
async function scanPending(prepared: Prepared[], ctx: ResolveContext): Promise<void> {
  const pending = prepared.flatMap((p) => p.tasks.filter((t) => !t.scan).map((task) => ({ p, task })));
  if (pending.length === 0) return;
  const { createFileScanner, POOL_THRESHOLD_BYTES } = await import('./scan-pool.js');
  const bytes = pending.reduce((total, { task }) => total + task.stamp.size, 0);
  const rows = pending.some(({ task }) => task.options.rows === true);
  const [one] = pending.length === 1 ? pending : [];
  const split = one?.task.options.rows ? await import('./scan-split.js') : undefined;
  const halves = one !== undefined && split?.splits(one.task.options, bytes) === true;
  const scanner = createFileScanner(
    ctx.workers ?? defaultWorkers(pending.length, bytes, POOL_THRESHOLD_BYTES, rows, halves),
  );
  ctx.onScan?.();
  try {
    // one big file read for a row diff: its halves at once, when two workers are there to take them
    const halved = halves && scanner.workers >= 2 ? split : undefined;
    await Promise.all(pending.map(({ p, task }) => scanTask(scanner, p, task, halved)));
  } finally {
    await scanner.close();
  }
}

/**
 * Workers for two files or more; in rows mode for one too, so this thread loads the row snapshot meanwhile
 * (two of them, a half of the file each: scan-split.ts).
 */
function defaultWorkers(
  files: number,
  bytes: number,
  threshold: number,
  rows: boolean,
  halves: boolean,
): number {
  if (bytes < threshold || (files < 2 && !rows)) return 0;
  return files < 2 && !halves ? 1 : Math.min(2, availableParallelism());
}

async function scanTask(
  scanner: FileScanner,
  p: Prepared,
  task: FileTask,
  split: typeof import('./scan-split.js') | undefined,
): Promise<void> {
  try {
    task.scan = split
      ? await split.scanSplit(scanner, task.absPath, task.options, task.stamp.size)
      : await scanner.scan(task.absPath, task.options);
  } catch (error) {
    p.diagnostics.push(readProblem(p.def, task.options.displayPath, error));
  }
}

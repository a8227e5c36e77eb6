// Expands an import's source globs offline: every pattern must match, and nothing may reach outside imports.yaml's dir.
import { type Dirent, lstatSync, readdirSync, realpathSync, type Stats, statSync } from 'node:fs';
import { realpath } from 'node:fs/promises';
import { basename, dirname, isAbsolute, posix, relative, resolve, sep } from 'node:path';
import fg from 'fast-glob';
import picomatch from 'picomatch';
import type { ImportDefinition } from '../config/types.js';
import { createDiagnostic, type Diagnostic, type Position } from '../core/diagnostic.js';
import type { FileStamp } from './types.js';

export interface GlobInput {
  pattern: string;
  position?: Position;
}

export interface ResolveGlobsOptions {
  allowOutside: boolean;
  importName?: string;
  /** per-file inboxes: a pattern matching nothing is a quiet day, as long as its directory is there. */
  allowEmpty?: boolean;
}

export interface ResolvedGlobs {
  /** Relative to configDir, `/`-separated, sorted by code unit. */
  files: string[];
  diagnostics: Diagnostic[];
}

const OUTSIDE_HINT = 'keep sources inside the directory of imports.yaml, or pass --allow-outside';

export interface MatchedGlobs extends ResolvedGlobs {
  /** Size, mtime and inode of each file in `files` (through a symlink: of its target). */
  stamps: Map<string, FileStamp>;
}

export async function resolveGlobs(
  configDir: string,
  globs: GlobInput[],
  options: ResolveGlobsOptions,
): Promise<ResolvedGlobs> {
  const { files, diagnostics } = await matchGlobs(configDir, globs, options);
  return { files, diagnostics };
}

/** resolveGlobs, plus the stat it took of every file (so scanning need not stat them again). */
export async function matchGlobs(
  configDir: string,
  globs: GlobInput[],
  options: ResolveGlobsOptions,
): Promise<MatchedGlobs> {
  const walk: Walk = { configDir, root: await realpath(configDir), dirs: new Map() };
  const ignore = globs.filter((g) => g.pattern.startsWith('!')).map((g) => g.pattern.slice(1));
  const diagnostics: Diagnostic[] = [];
  const stamps = new Map<string, FileStamp>();
  for (const glob of globs.filter((g) => !g.pattern.startsWith('!'))) {
    if (!options.allowOutside && isOutsidePattern(glob.pattern)) {
      diagnostics.push(
        problem(
          'E_SOURCE_OUTSIDE',
          `source '${glob.pattern}' reaches outside the directory of imports.yaml`,
          glob,
          options,
          OUTSIDE_HINT,
        ),
      );
      continue;
    }
    const { files: matched, problems } = listFiles(configDir, glob.pattern, ignore);
    for (const unreadable of problems) diagnostics.push(unreadableProblem(unreadable, glob, options));
    const { kept, outside } = inspectFiles(matched, walk);
    if (outside.length > 0 && !options.allowOutside) diagnostics.push(outsideProblem(outside, glob, options));
    for (const file of options.allowOutside ? [...kept, ...outside] : kept) stamps.set(file.rel, file.stamp);
    if (matched.length === 0 && !(options.allowEmpty && baseExists(configDir, glob.pattern))) {
      diagnostics.push(noMatch(glob, options));
    }
  }
  return { files: [...stamps.keys()].sort(), stamps, diagnostics };
}

/** The literal directory a pattern starts from (picomatch.scan) is there. */
function baseExists(configDir: string, pattern: string): boolean {
  const base = picomatch.scan(pattern).base;
  return quietly(() => statSync(resolve(configDir, base || '.')).isDirectory()) === true;
}

interface GlobProblem {
  /** The directory (or literal path) that could not be read, relative to configDir. */
  path: string;
  /** The errno code, e.g. EACCES. */
  code: string;
}

/** Not problems: the path is gone, or a part of it is a file (no match, as fast-glob treats ENOENT). */
const QUIET = new Set(['ENOENT', 'ENOTDIR']);

/**
 * The files one pattern matches (fast-glob: dot files only where the dot is written, braces expanded,
 * symlinks followed, files only), and the paths it could not read. fast-glob would throw on those: its file
 * system calls go through watchedFs, which notes them and cuts symlink cycles. Synchronous, like the file
 * checks below: a warm plan globs every time, and the async walk's callbacks and promises cost more.
 */
function listFiles(
  cwd: string,
  pattern: string,
  ignore: string[],
): { files: string[]; problems: GlobProblem[] } {
  const problems: GlobProblem[] = [];
  const files = fg.sync(pattern, {
    cwd,
    ignore,
    dot: false,
    onlyFiles: true,
    followSymbolicLinks: true,
    unique: true,
    suppressErrors: true,
    fs: watchedFs(cwd, problems),
  });
  if (problems.length === 0 || ignore.length === 0) return { files, problems };
  const excluded = picomatch(ignore, { dot: true }); // fast-glob reads a pattern's base even when it is excluded
  return { files, problems: problems.filter((problem) => !excluded(problem.path)) };
}

/**
 * fast-glob's readdir and lstat (the calls on paths a pattern names or walks; stat only follows links, and a
 * dangling link is no file), noting unreadable paths in `problems`. A directory whose real path is that of
 * one it was reached through is a symlink cycle and is listed as empty.
 */
function watchedFs(cwd: string, problems: GlobProblem[]): Partial<fg.FileSystemAdapter> {
  const reals = new Map<string, string>();
  const noted = <T>(path: string, read: () => T): T => {
    try {
      return read();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'EIO';
      if (!QUIET.has(code)) problems.push({ path: relative(cwd, path).split(sep).join('/') || '.', code });
      throw error; // fast-glob (suppressErrors) then skips the path
    }
  };
  function listDir(path: string): string[];
  function listDir(path: string, options: { withFileTypes: true }): Dirent[];
  function listDir(path: string, options?: { withFileTypes: true }): string[] | Dirent[] {
    return noted(path, () => {
      const real = realpathSync(path);
      reals.set(path, real);
      if (isCycle(reals, path, real)) return [];
      return options ? readdirSync(path, options) : readdirSync(path);
    });
  }
  return { readdirSync: listDir, lstatSync: (path) => noted(path, () => lstatSync(path)) };
}

/** Whether a directory listed before on the way to `path` (fast-glob joins with `/`) has the same real path. */
function isCycle(reals: Map<string, string>, path: string, real: string): boolean {
  for (let cut = path.lastIndexOf('/'); cut > 0; cut = path.lastIndexOf('/', cut - 1)) {
    const above = reals.get(path.slice(0, cut));
    if (above === undefined) return false;
    if (above === real) return true;
  }
  return false;
}

/** Absolute, or a `..` that climbs above the directory once normalized. */
export function isOutsidePattern(pattern: string): boolean {
  if (isAbsolute(pattern) || /^[A-Za-z]:[\\/]/.test(pattern) || pattern.startsWith('\\')) return true;
  const normalized = posix.normalize(pattern.replace(/\\/g, '/'));
  return normalized === '..' || normalized.startsWith('../');
}

interface Walk {
  configDir: string;
  /** The real path of configDir. */
  root: string;
  /** Real paths of the directories seen so far (undefined: unresolvable). */
  dirs: Map<string, string | undefined>;
}

interface Inspected {
  rel: string;
  stamp: FileStamp;
}

/**
 * Follows symlinks: a link inside the directory that points outside it counts as outside. One lstat per file
 * and one realpath per directory (per file only for symlinks): a realpath per file walks its whole path.
 * Synchronous: a warm plan does this for every file, and 2,000 promises cost more than the calls.
 */
function inspectFiles(matched: string[], walk: Walk): { kept: Inspected[]; outside: Inspected[] } {
  const kept: Inspected[] = [];
  const outside: Inspected[] = [];
  for (const entry of matched) {
    const { rel, abs } = locate(walk.configDir, entry);
    const target = realTarget(abs, walk);
    if (target === undefined) continue; // a dangling link (or a file gone since the glob) is no file
    const { size, mtimeMs, ino } = target.info;
    const isInside = target.real === walk.root || target.real.startsWith(walk.root + sep);
    (isInside ? kept : outside).push({ rel, stamp: { size, mtimeMs, ino } });
  }
  return { kept, outside };
}

/** The real path that decides inside/outside: the file's own for a symlink, else its directory's. */
function realTarget(abs: string, walk: Walk): { real: string; info: Stats } | undefined {
  const info = quietly(() => lstatSync(abs));
  if (info === undefined) return undefined;
  if (info.isSymbolicLink()) {
    const real = quietly(() => realpathSync(abs));
    const targetInfo = real === undefined ? undefined : quietly(() => statSync(abs));
    return real === undefined || targetInfo === undefined ? undefined : { real, info: targetInfo };
  }
  const dir = dirname(abs);
  if (!walk.dirs.has(dir))
    walk.dirs.set(
      dir,
      quietly(() => realpathSync(dir)),
    );
  const realDir = walk.dirs.get(dir);
  if (realDir === undefined) return undefined;
  const name = basename(abs);
  return { real: realDir.endsWith(sep) ? realDir + name : realDir + sep + name, info };
}

/** A match of fast-glob as a `/`-separated path relative to configDir, and its absolute path. */
function locate(configDir: string, entry: string): { rel: string; abs: string } {
  if (isPlainRelative(entry)) {
    const base = configDir.endsWith(sep) ? configDir : configDir + sep;
    return { rel: entry, abs: base + (sep === '/' ? entry : entry.split('/').join(sep)) };
  }
  const abs = resolve(configDir, entry);
  return { rel: relative(configDir, abs).split(sep).join('/'), abs };
}

/** Normalized, `/`-separated and below the directory: no resolve() or relative() needed (~10 µs each). */
export function isPlainRelative(entry: string): boolean {
  return !EMPTY_OR_DOT_SEGMENT.test(entry) && !entry.includes('\\') && !isAbsolute(entry);
}

/** An empty, `.` or `..` segment (the empty string included). */
const EMPTY_OR_DOT_SEGMENT = /(?:^|\/)\.{0,2}(?:\/|$)/;

function outsideProblem(outside: Inspected[], glob: GlobInput, options: ResolveGlobsOptions): Diagnostic {
  const names = outside.map((file) => file.rel);
  const shown = names.slice(0, 3).join(', ') + (names.length > 3 ? ` and ${names.length - 3} more` : '');
  const message = `source '${glob.pattern}' matches ${shown}, which ${names.length === 1 ? 'resolves' : 'resolve'} (through a symlink) outside the directory of imports.yaml`;
  return problem('E_SOURCE_OUTSIDE', message, glob, options, OUTSIDE_HINT);
}

/** A path fast-glob could not read (by default it throws, which stopped the run): a diagnostic at the glob. */
function unreadableProblem(
  unreadable: GlobProblem,
  glob: GlobInput,
  options: ResolveGlobsOptions,
): Diagnostic {
  const message = `source '${glob.pattern}': cannot read '${unreadable.path}' (${unreadable.code})`;
  const hint =
    'make it a readable directory (permissions, symlink loop), or leave it out with a "!dir/**" pattern';
  return problem('E_SOURCE_READ', message, glob, options, hint);
}

function noMatch(glob: GlobInput, options: ResolveGlobsOptions): Diagnostic {
  const whose = options.importName ? ` of import '${options.importName}'` : '';
  return problem(
    'E_SOURCE_NO_MATCH',
    `source '${glob.pattern}'${whose} matches no file`,
    glob,
    options,
    'patterns are relative to the directory of imports.yaml; files and folders starting with "." are not matched',
  );
}

function problem(
  code: string,
  message: string,
  glob: GlobInput,
  options: ResolveGlobsOptions,
  hint: string,
): Diagnostic {
  const extra: Omit<Diagnostic, 'severity' | 'code' | 'message'> = { hint };
  if (glob.position) extra.position = glob.position;
  if (options.importName) extra.importName = options.importName;
  return createDiagnostic('error', code, message, extra);
}

/** An import's source globs, each with its position in imports.yaml (so a glob problem points at the glob). */
export function toGlobInputs(definition: ImportDefinition): GlobInput[] {
  if (definition.source.kind !== 'files') return [];
  return definition.source.globs.map((pattern, i) => {
    const position = definition.sourcePositions?.[i] ?? definition.position;
    return { pattern, position };
  });
}

/** The result of an fs call, or undefined when it throws (a path gone or unreadable is no match). */
function quietly<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

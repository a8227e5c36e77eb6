// Expands an import's source globs offline: every pattern must match, and nothing may reach outside imports.yaml's dir.
import { lstatSync, realpathSync, type Stats, statSync } from 'node:fs';
import { realpath } from 'node:fs/promises';
import { basename, dirname, isAbsolute, posix, relative, resolve, sep } from 'node:path';
import type { ImportDefinition } from '../config/types.js';
import { createDiagnostic, type Diagnostic, type Position } from '../core/diagnostic.js';
import { type GlobWalkProblem, globWalk, quietly } from './glob-walk.js';
import type { FileStamp } from './types.js';

export interface GlobInput {
  pattern: string;
  position?: Position;
}

export interface ResolveGlobsOptions {
  allowOutside: boolean;
  importName?: string;
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
    const { files: matched, problems } = globWalk(configDir, glob.pattern, ignore);
    for (const unreadable of problems) diagnostics.push(unreadableProblem(unreadable, glob, options));
    const { kept, outside } = inspectFiles(matched, walk);
    if (outside.length > 0 && !options.allowOutside) diagnostics.push(outsideProblem(outside, glob, options));
    for (const file of options.allowOutside ? [...kept, ...outside] : kept) stamps.set(file.rel, file.stamp);
    if (matched.length === 0) diagnostics.push(noMatch(glob, options));
  }
  return { files: [...stamps.keys()].sort(), stamps, diagnostics };
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
    if (target === undefined) continue; // a dangling link (or a file gone since the walk) is no file
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

/** A match of the glob walk as a `/`-separated path relative to configDir, and its absolute path. */
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

/** fast-glob threw on these (the run stopped with an internal error); now a diagnostic at the glob. */
function unreadableProblem(
  unreadable: GlobWalkProblem,
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

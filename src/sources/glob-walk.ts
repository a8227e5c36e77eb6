// Lists the files one glob matches, as fast-glob did for us (dot: false, symlinks followed, files only), but
// walking only the directories the pattern can reach; matching is picomatch's. Cycles through symlinks are cut.
import { type Dirent, readdirSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, resolve, sep } from 'node:path';
import braces from 'braces';
import picomatch from 'picomatch';

export interface GlobWalkProblem {
  /** The directory (or literal path) that could not be read, written like the results. */
  path: string;
  /** The errno code, e.g. EACCES. */
  code: string;
}

export interface GlobWalkResult {
  /** `/`-separated, relative to cwd (absolute or starting with `..` when the pattern is), sorted by code unit. */
  files: string[];
  /** Paths that exist but could not be read: fast-glob threw on these; a vanished directory is no problem. */
  problems: GlobWalkProblem[];
}

interface Walk {
  cwd: string;
  /** One regex per brace expansion of the pattern: fast-glob expanded braces before matching. */
  match: RegExp[];
  /** `!` patterns, matched with dot: true like fast-glob (relative ones on the path, absolute on its full path). */
  ignore: RegExp[];
  ignoreAbsolute: RegExp[];
  /** `!x/**` and `!x/literal`: fast-glob does not enter the directories these match. */
  ignoreDirs: RegExp[];
  found: Set<string>;
  problems: GlobWalkProblem[];
  /** Real paths of the directories on the current descent (a symlink back to one is a cycle). */
  onPath: Set<string>;
}

interface Dir {
  abs: string;
  real: string;
  rel: string;
}

const DOT = 46;
/** Not errors, as for fast-glob: the path is gone, or a part of it is a file. */
const QUIET = new Set(['ENOENT', 'ENOTDIR']);

/** The files `pattern` (relative to cwd, `/`-separated) matches, minus those an `ignore` pattern matches. */
export function globWalk(cwd: string, pattern: string, ignore: readonly string[] = []): GlobWalkResult {
  const expanded = expandAll(pattern);
  const walk = createWalk(cwd, expanded, ignore.flatMap(expandAll));
  const byBase = new Map<string, WalkPlan[]>();
  for (const plan of expanded.map(toPlan)) {
    if (plan.segments?.length === 0) addLiteral(walk, plan.base);
    else byBase.set(plan.base, [...(byBase.get(plan.base) ?? []), plan]);
  }
  for (const [base, plans] of byBase) walkBase(walk, base, plans); // `*.{csv,tsv}`: one walk, not two
  return { files: [...walk.found].sort(), problems: walk.problems };
}

/** Leading `./` and doubled slashes dropped, as fast-glob does before matching. */
function normalizePattern(pattern: string): string {
  let out = pattern.replace(/(?!^)\/{2,}/g, '/');
  while (out.startsWith('./')) out = out.slice(2);
  return out;
}

/**
 * Braces expanded first, as fast-glob does with the same package (so `{,x/}*` keeps the dot rule and
 * `{01..20}` works, which picomatch alone reads only for single characters); as written when a range
 * exceeds the braces package's limit.
 */
function expandAll(pattern: string): string[] {
  const normalized = normalizePattern(pattern);
  let expanded: string[];
  try {
    expanded = braces.expand(normalized);
  } catch {
    expanded = [normalized];
  }
  return [...new Set(expanded.map(normalizePattern))].filter((p) => p !== '');
}

function createWalk(cwd: string, patterns: string[], negatives: string[]): Walk {
  const relative = negatives.filter((p) => !isAbsolute(p));
  const absolute = negatives.filter((p) => isAbsolute(p));
  return {
    cwd,
    match: patterns.map((p) => picomatch.makeRe(p, { dot: false })),
    ignore: relative.map((p) => picomatch.makeRe(p, { dot: true })),
    ignoreAbsolute: absolute.map((p) => picomatch.makeRe(p, { dot: true })),
    ignoreDirs: negatives.filter(limitsDepth).map((p) => picomatch.makeRe(p, { dot: false })),
    found: new Set(),
    problems: [],
    onPath: new Set(),
  };
}

/** fast-glob's isAffectDepthOfReadingPattern: ends in `/**`, or its last segment has no glob. */
function limitsDepth(pattern: string): boolean {
  const last = pattern.slice(pattern.lastIndexOf('/') + 1);
  return pattern.endsWith('/**') || (!picomatch.scan(last).isGlob && !last.includes('\\'));
}

/** Walks below `base` once for all plans starting there. */
function walkBase(walk: Walk, base: string, plans: WalkPlan[]): void {
  if (base !== '' && walk.ignoreDirs.some((re) => re.test(base))) return;
  const abs = resolve(walk.cwd, base || '.');
  let real: string;
  try {
    real = realpathSync(abs);
  } catch (error) {
    noteProblem(walk, base || '.', error);
    return;
  }
  walkDir(walk, plans, { abs, real, rel: base }, 0);
}

function walkDir(walk: Walk, plans: WalkPlan[], dir: Dir, depth: number): void {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir.abs, { withFileTypes: true });
  } catch (error) {
    noteProblem(walk, dir.rel || '.', error);
    return;
  }
  walk.onPath.add(dir.real);
  const prefix = dir.rel === '' || dir.rel.endsWith('/') ? dir.rel : `${dir.rel}/`;
  const absPrefix = dir.abs.endsWith(sep) ? dir.abs : dir.abs + sep;
  for (const entry of entries) {
    const name = entry.name;
    const isLink = entry.isSymbolicLink();
    const target = isLink ? quietly(() => statSync(absPrefix + name)) : entry;
    if (target === undefined) continue; // a dangling (or unreadable) link is no file, as in fast-glob
    if (target.isFile()) {
      addIfMatched(walk, prefix + name);
      continue;
    }
    if (!target.isDirectory() || !plans.some((plan) => descends(plan, depth, name))) continue;
    const child = descend(walk, dir, name, isLink, prefix, absPrefix);
    if (child) walkDir(walk, plans, child, depth + 1);
  }
  walk.onPath.delete(dir.real);
}

/** The child directory to walk; undefined for a cycle, an ignored directory or a vanished link. */
function descend(
  walk: Walk,
  dir: Dir,
  name: string,
  isLink: boolean,
  prefix: string,
  absPrefix: string,
): Dir | undefined {
  const rel = prefix + name;
  if (walk.ignoreDirs.length > 0 && walk.ignoreDirs.some((re) => re.test(rel))) return undefined;
  const abs = absPrefix + name;
  const real = isLink
    ? quietly(() => realpathSync(abs))
    : dir.real.endsWith(sep)
      ? dir.real + name
      : dir.real + sep + name;
  if (real === undefined || walk.onPath.has(real)) return undefined;
  return { abs, real, rel };
}

/** Can something below directory `name` (at `depth` below the base) still match? */
function descends(plan: WalkPlan, depth: number, name: string): boolean {
  const segments = plan.segments;
  if (segments === undefined) return true;
  // Past a `**`: any name `**` can take (not a dot name, with dot: false), or one a later segment names.
  if (depth >= plan.globstar) return name.charCodeAt(0) !== DOT || plan.tail.some((s) => fits(s, name));
  const segment = segments[depth];
  return depth < segments.length - 1 && segment !== undefined && fits(segment, name);
}

function fits(segment: Segment, name: string): boolean {
  return typeof segment === 'string' ? segment === name : segment.test(name);
}

/** A pattern without glob characters: the file, if it exists (through symlinks too). */
function addLiteral(walk: Walk, path: string): void {
  try {
    if (statSync(resolve(walk.cwd, path)).isFile()) addIfMatched(walk, path);
  } catch (error) {
    noteProblem(walk, path, error);
  }
}

function addIfMatched(walk: Walk, rel: string): void {
  if (walk.found.has(rel) || !matchesAny(walk.match, rel)) return;
  if (walk.ignore.length > 0 && walk.ignore.some((re) => re.test(rel))) return;
  if (walk.ignoreAbsolute.length > 0) {
    const full = resolve(walk.cwd, rel);
    if (walk.ignoreAbsolute.some((re) => re.test(full))) return;
  }
  walk.found.add(rel);
}

function matchesAny(patterns: RegExp[], rel: string): boolean {
  for (const re of patterns) if (re.test(rel)) return true;
  return false;
}

function noteProblem(walk: Walk, path: string, error: unknown): void {
  const code = (error as NodeJS.ErrnoException).code ?? 'EIO';
  if (!QUIET.has(code)) walk.problems.push({ path, code });
}

/** The result of an fs call, or undefined when it throws (a path gone or unreadable is no match). */
export function quietly<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

// --- Planning: which directories a pattern can reach ---

/** A directory level below the base: a literal name or a picomatch regex for one segment. */
type Segment = string | RegExp;

interface WalkPlan {
  /** The static part, `/`-separated ('' for cwd); the whole path for a literal pattern. */
  base: string;
  /** One per level below the base ([] for a literal path); undefined: everything below the base may match. */
  segments: Segment[] | undefined;
  /** Index of the first segment holding `**` (segments.length when none): from there any depth. */
  globstar: number;
  /** The segments after that `**` (which may name a dot directory `**` cannot). */
  tail: Segment[];
}

const ANY = /(?:)/;

/** Where one brace-free pattern's walk starts and which directories it can enter. */
function toPlan(pattern: string): WalkPlan {
  const parts = splitSegments(pattern);
  if (parts === undefined) return fullWalk(pattern);
  let literal = 0;
  while (literal < parts.length && isLiteral(parts[literal] ?? '')) literal++;
  const base = literal === 0 ? '' : parts.slice(0, literal).join('/') || '/';
  const below = parts.slice(literal);
  const star = below.findIndex((part) => part.includes('**'));
  const globstar = star === -1 ? below.length : star;
  const tail = below.slice(globstar + 1).filter((part) => part !== '**');
  return { base, segments: below.map(compileSegment), globstar, tail: tail.map(compileSegment) };
}

/** Everything below the static base (a `/` inside brackets, parentheses or an odd brace). */
function fullWalk(pattern: string): WalkPlan {
  const base = picomatch.scan(pattern).base;
  const backslash = base.indexOf('\\');
  const cut = backslash === -1 ? base : base.slice(0, Math.max(0, base.lastIndexOf('/', backslash)));
  return { base: cut || (pattern.startsWith('/') ? '/' : ''), segments: undefined, globstar: 0, tail: [] };
}

function isLiteral(part: string): boolean {
  return !part.includes('\\') && !picomatch.scan(part).isGlob;
}

function compileSegment(part: string): Segment {
  if (isLiteral(part)) return part;
  if (part.startsWith('!')) return ANY; // alone, picomatch would read a leading `!` as a negation
  return picomatch.makeRe(part, { dot: false });
}

/** Split at each `/` outside brackets, braces and parentheses; undefined if a `/` is inside one. */
function splitSegments(pattern: string): string[] | undefined {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') i++;
    else if (c === '[' || c === '{' || c === '(') depth++;
    else if ((c === ']' || c === '}' || c === ')') && depth > 0) depth--;
    else if (c === '/') {
      if (depth > 0) return undefined;
      parts.push(pattern.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(pattern.slice(start));
  return parts;
}

// Turns the imports' globs into what chokidar can watch (glob bases) plus matchers that map a path to its imports.
import type { Stats } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import picomatch from 'picomatch';
import type { SyncConfig } from '../config/types.js';

interface GlobTarget {
  importName: string;
  base: string;
  match: (rel: string) => boolean;
  /** How many directory levels below the base the glob can reach. */
  maxDirDepth: number;
}

const SKIPPED_DIRS = new Set(['.git', 'node_modules']);

export type WatchTargets = ReturnType<typeof buildWatchTargets>;

export function buildWatchTargets(config: Pick<SyncConfig, 'file' | 'dir' | 'statePath' | 'imports'>) {
  const globs: GlobTarget[] = [];
  const negatives = new Map<string, Array<(rel: string) => boolean>>();
  for (const def of config.imports) {
    if (def.source.kind !== 'files') continue;
    const excluded = def.source.globs
      .filter((g) => g.startsWith('!'))
      .map((g) => picomatch(clean(g.slice(1))));
    negatives.set(def.name, excluded);
    for (const pattern of def.source.globs.filter((g) => !g.startsWith('!'))) {
      globs.push(toGlobTarget(def.name, config.dir, clean(pattern)));
    }
  }
  const bases = [...new Set(globs.map((g) => g.base))].sort();
  const roots = [config.dir, ...bases.filter((b) => !isInside(b, config.dir))];
  const importsFor = (abs: string): string[] => {
    const rel = relative(config.dir, abs).split(sep).join('/');
    const names = importNames(globs.filter((g) => g.match(rel)));
    return names.filter((name) => !negatives.get(name)?.some((excludes) => excludes(rel)));
  };
  const dirRelevant = (abs: string) =>
    globs.some((g) => isInside(g.base, abs) || depthBelow(g.base, abs) <= g.maxDirDepth);
  const { file: configFile, statePath } = config;
  const stateDir = dirname(statePath);
  const ignoreStateDir = stateDir !== config.dir && !globs.some((g) => isInside(g.base, stateDir));
  return {
    /** Absolute paths to hand to the watcher: the directory of imports.yaml plus bases outside it. */
    roots,
    /** Absolute glob bases of every files import, sorted. */
    bases,
    configFile,
    /** The imports whose sources could contain this absolute file path. */
    importsFor,
    /** The imports with a source base inside, at or around this absolute directory (a removed folder). */
    importsUnder: (absDir: string): string[] =>
      importNames(globs.filter((g) => isInside(g.base, absDir) || isInside(absDir, g.base))),
    /** chokidar's `ignored`: true for anything no import (nor imports.yaml) can care about. */
    isIgnored(absPath: string, stats?: Pick<Stats, 'isFile' | 'isDirectory'>): boolean {
      if (absPath === configFile) return false;
      if (hasSkippedSegment(absPath, config.dir)) return true;
      if (absPath === statePath || absPath.startsWith(`${statePath}.`)) return true;
      if (ignoreStateDir && isInside(absPath, stateDir)) return true;
      if (roots.includes(absPath)) return false;
      if (stats?.isDirectory()) return !dirRelevant(absPath);
      if (stats?.isFile()) return importsFor(absPath).length === 0;
      // First call for a path comes without stats: keep it unless it can be neither a wanted file nor dir.
      return importsFor(absPath).length === 0 && !dirRelevant(absPath);
    },
  };
}

/** picomatch.scan splits a glob into its literal base directory and the pattern below it. */
function toGlobTarget(importName: string, configDir: string, pattern: string): GlobTarget {
  const scan = picomatch.scan(pattern);
  if (!scan.isGlob) {
    const base = resolve(configDir, dirname(pattern));
    return { importName, base, match: (rel) => rel === pattern, maxDirDepth: 0 };
  }
  const base = resolve(configDir, scan.base || '.');
  const isMatch = picomatch(pattern, { dot: false });
  const unbounded = scan.glob.includes('**') || scan.glob.includes('{');
  const maxDirDepth = unbounded ? Number.POSITIVE_INFINITY : scan.glob.split('/').length - 1;
  return { importName, base, match: (rel) => isMatch(rel), maxDirDepth };
}

function importNames(targets: GlobTarget[]): string[] {
  return [...new Set(targets.map((g) => g.importName))].sort();
}

function clean(pattern: string): string {
  return pattern.replace(/\\/g, '/').replace(/^(\.\/)+/, '');
}

/** True when `path` is `dir` or below it. */
export function isInside(path: string, dir: string): boolean {
  if (path === dir) return true;
  const rel = relative(dir, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

function depthBelow(base: string, path: string): number {
  if (!isInside(path, base)) return Number.POSITIVE_INFINITY;
  const rel = relative(base, path);
  return rel === '' ? 0 : rel.split(sep).length;
}

function hasSkippedSegment(absPath: string, configDir: string): boolean {
  const rel = isInside(absPath, configDir) ? relative(configDir, absPath) : absPath;
  return rel.split(sep).some((part) => SKIPPED_DIRS.has(part));
}

// --changed-since <ref>: the files and definitions at a git commit stand in for the state (stateless CI).
import { basename } from 'node:path';
import picomatch from 'picomatch';
import { parseConfigText } from '../config/parse-config-text.js';
import type { ImportDefinition } from '../config/types.js';
import { CopernicaSyncError, UsageError } from '../core/errors.js';
import { EXIT } from '../core/exit-codes.js';
import type { Baseline } from '../plan/compare-state.js';
import { computeFileFingerprint, computeFingerprint } from '../plan/fingerprint.js';
import { fingerprintedDefinition } from '../plan/parameters.js';
import type { ResolvedSource } from '../sources/types.js';
import { createEmptyState, type StateEntry, type StateFile } from '../state/types.js';
import type { ImportRecord } from './records.js';

/** git's null commit: GitHub's `github.event.before` and GitLab's CI_COMMIT_BEFORE_SHA on a branch's first push. */
const NULL_COMMIT = /^0{40}$/;
/** The hash of a file as it was at the ref, when it differs from (or is gone from) the working tree. */
const AT_REF = 'as it was at the ref';

/** What git says of the ref: the definitions then, the files then, and what changed since. */
export interface RefView {
  ref: string;
  /** The ref is git's null commit: there is no previous version at all. */
  nullCommit: boolean;
  old: Map<string, ImportDefinition>;
  changed: Set<string>;
  filesAtRef: string[];
  dir: string;
}

export async function readRef(config: { file: string; dir: string }, ref: string): Promise<RefView> {
  const view: RefView = {
    ref,
    nullCommit: NULL_COMMIT.test(ref),
    old: new Map(),
    changed: new Set(),
    filesAtRef: [],
    dir: config.dir,
  };
  if (view.nullCommit) return view;
  await git(config.dir, ['rev-parse', '--show-toplevel'], 'find the git repository', true);
  await git(
    config.dir,
    ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`],
    `find the commit ${ref}`,
    true,
  );
  // `<ref>:./name` is relative to the cwd: no repo-root arithmetic that a symlinked temp dir could break.
  const oldText = await gitMaybe(config.dir, ['show', `${ref}:./${basename(config.file)}`]);
  if (oldText !== undefined) view.old = parseOld(oldText, config.file);
  view.changed = new Set(await listChangedFiles(config.dir, ref));
  const listed = await git(config.dir, ['ls-tree', '-r', '-z', '--name-only', ref, '--', '.'], 'list files');
  view.filesAtRef = listed.split('\0').filter((f) => f.length > 0);
  return view;
}

/** The files the import's definition at the ref matched then. */
export function filesThen(view: RefView, name: string): string[] {
  const before = view.old.get(name);
  return before ? view.filesAtRef.filter((path) => matchedBy(before, path)) : [];
}

/** Some file the import reads now or read then changed since the ref (a command's output git cannot see). */
export function touchedSince(view: RefView, def: ImportDefinition): boolean {
  if (def.source.kind !== 'files' || !view.old.has(def.name)) return false;
  return (
    [...view.changed].some((path) => matchedBy(def, path)) ||
    filesThen(view, def.name).some((p) => view.changed.has(p))
  );
}

/** The ref stands in for the state: each import as it stood then. */
export function refBaseline(
  view: RefView,
  records: readonly ImportRecord[],
): { state: StateFile; baseline: Baseline } {
  const state = createEmptyState();
  if (view.nullCommit) {
    const absent = `${view.ref.slice(0, 12)}… is git's null commit (a branch's first push): every import counts as changed`;
    return { state, baseline: { absent } };
  }
  for (const { definition, source } of records) {
    const before = view.old.get(definition.name);
    if (before && source)
      state.imports[definition.name] = entryAtRef(
        before,
        source,
        filesThen(view, definition.name),
        view.changed,
        view.ref,
      );
  }
  return { state, baseline: { absent: `new since ${view.ref}` } };
}

/** The content of a file at the ref. */
export async function showAtRef(view: RefView, path: string): Promise<Buffer> {
  const { execa } = await import('execa');
  const result = await execa('git', ['show', `${view.ref}:./${path}`], {
    cwd: view.dir,
    encoding: 'buffer',
    reject: false,
    stdin: 'ignore',
  });
  if (result.exitCode !== 0)
    throw new CopernicaSyncError('E_GIT', `--changed-since: cannot read ${path} at ${view.ref}`, {
      exitCode: EXIT.failure,
    });
  return Buffer.from(result.stdout);
}

/** The import as it stood at the ref: its old parameters, and the files its old globs matched then. */
function entryAtRef(
  old: ImportDefinition,
  source: ResolvedSource,
  matchedAtRef: readonly string[],
  changed: ReadonlySet<string>,
  ref: string,
): StateEntry {
  const now = new Map(source.files.map((f) => [f.path, f.hash]));
  // A command's output is invisible to git: it counts as changed only when its definition does.
  const files =
    source.kind === 'files'
      ? matchedAtRef.map((path) => ({ path, hash: (!changed.has(path) && now.get(path)) || AT_REF }))
      : source.files.map((f) => ({ path: f.path, hash: f.hash }));
  const entry: StateEntry = {
    fingerprint: computeFingerprint(old, { format: source.format, delimiter: source.delimiter, files }),
    appliedAt: ref,
    outcome: 'finished',
    rows: 0,
    files,
    header: [...(source.header ?? [])],
    parameters: fingerprintedDefinition(old, source),
  };
  if (old.mode === 'per-file') {
    const unchanged = source.files.filter((f) => files.some((g) => g.path === f.path && g.hash === f.hash));
    entry.perFile = Object.fromEntries(
      unchanged.map((f) => [
        f.path,
        {
          fingerprint: computeFileFingerprint(old, f),
          appliedAt: ref,
          outcome: 'finished',
          rows: f.rows,
          hash: f.hash,
        },
      ]),
    );
  }
  return entry;
}

function parseOld(text: string, file: string): Map<string, ImportDefinition> {
  const parsed = parseConfigText(text, file, { file, env: {} });
  return new Map((parsed.config?.imports ?? []).map((d) => [d.name, d]));
}

function matchedBy(def: ImportDefinition, path: string): boolean {
  if (def.source.kind !== 'files') return false;
  const clean = (glob: string) => glob.replace(/^(\.\/)+/, '');
  const positives = def.source.globs.filter((g) => !g.startsWith('!')).map(clean);
  const negatives = def.source.globs.filter((g) => g.startsWith('!')).map((g) => clean(g.slice(1)));
  return picomatch(positives, { dot: false })(path) && !(negatives.length > 0 && picomatch(negatives)(path));
}

async function listChangedFiles(cwd: string, ref: string): Promise<string[]> {
  const diff = await git(
    cwd,
    ['diff', '--relative', '--name-only', '-z', ref, '--', '.'],
    'list changed files',
  );
  const untracked = await git(
    cwd,
    ['ls-files', '--others', '--exclude-standard', '-z', '--', '.'],
    'list new files',
  );
  return [...diff.split('\0'), ...untracked.split('\0')].filter((f) => f.length > 0);
}

async function git(cwd: string, args: string[], what: string, usage = false): Promise<string> {
  const { execa } = await import('execa'); // ~100 ms to load: only when --changed-since asks for git
  const result = await execa('git', args, { cwd, reject: false, stdin: 'ignore' });
  if (result.exitCode === 0) return String(result.stdout);
  const detail = String(result.stderr).trim().split('\n').slice(-3).join(' ');
  const hint = 'run inside a git checkout with enough history (in CI: fetch-depth: 0) and a valid ref';
  const message = `--changed-since: cannot ${what}${detail ? `: ${detail}` : ''}`;
  if (usage) throw new UsageError(message, { hint });
  throw new CopernicaSyncError('E_GIT', message, { hint, exitCode: EXIT.failure });
}

async function gitMaybe(cwd: string, args: string[]): Promise<string | undefined> {
  const { execa } = await import('execa');
  const result = await execa('git', args, { cwd, reject: false, stdin: 'ignore' });
  return result.exitCode === 0 ? String(result.stdout) : undefined;
}

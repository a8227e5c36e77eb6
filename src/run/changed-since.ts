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
import type { ResolvedFile, ResolvedSource } from '../sources/types.js';
import { createEmptyState, type StateEntry, type StateFile } from '../state/types.js';
import type { ImportRecord } from './records.js';

/** git's null commit: GitHub's `github.event.before` and GitLab's CI_COMMIT_BEFORE_SHA on a branch's first push. */
const NULL_COMMIT = /^0{40}$/;
const CHANGED_AT_REF = 'changed since the ref';

export interface RefBaseline {
  state: StateFile;
  baseline: Baseline;
}

export async function loadRefBaseline(
  config: { file: string; dir: string },
  records: readonly ImportRecord[],
  ref: string,
): Promise<RefBaseline> {
  if (NULL_COMMIT.test(ref)) {
    const absent = `${ref.slice(0, 12)}… is git's null commit (a branch's first push): every import counts as changed`;
    return { state: createEmptyState(), baseline: { absent } };
  }
  await git(config.dir, ['rev-parse', '--show-toplevel'], 'find the git repository', true);
  await git(
    config.dir,
    ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`],
    `find the commit ${ref}`,
    true,
  );
  // `<ref>:./name` is relative to the cwd: no repo-root arithmetic that a symlinked temp dir could break.
  const oldText = await gitMaybe(config.dir, ['show', `${ref}:./${basename(config.file)}`]);
  const old = oldText === undefined ? new Map<string, ImportDefinition>() : parseOld(oldText, config.file);
  const changed = new Set(await listChangedFiles(config.dir, ref));
  const state = createEmptyState();
  for (const { definition, source } of records) {
    const before = old.get(definition.name);
    if (before && source) state.imports[definition.name] = entryAtRef(before, source, changed, ref);
  }
  return { state, baseline: { absent: `new since ${ref}` } };
}

/** The import as it stood at the ref: its old parameters, and its files with the changed ones marked. */
function entryAtRef(
  old: ImportDefinition,
  source: ResolvedSource,
  changed: ReadonlySet<string>,
  ref: string,
): StateEntry {
  // A command's output is invisible to git: it counts as changed only when its definition does.
  const hashAtRef = (f: ResolvedFile) =>
    source.kind === 'files' && changed.has(f.path) ? CHANGED_AT_REF : f.hash;
  const files = source.files.map((f) => ({ ...f, hash: hashAtRef(f) }));
  const matchedNow = new Set(files.map((f) => f.path));
  const removed = [...changed].filter((path) => !matchedNow.has(path) && matchedBy(old, path));
  const filesAtRef = [...files, ...removed.map((path) => ({ path, hash: CHANGED_AT_REF }))];
  const entry: StateEntry = {
    fingerprint: computeFingerprint(old, {
      format: source.format,
      delimiter: source.delimiter,
      files: filesAtRef,
    }),
    appliedAt: ref,
    outcome: 'finished',
    rows: 0,
    files: filesAtRef.map((f) => ({ path: f.path, hash: f.hash })),
    header: [...(source.header ?? [])],
    parameters: fingerprintedDefinition(old, source),
  };
  if (old.mode === 'per-file') {
    entry.perFile = Object.fromEntries(
      files
        .filter((f) => f.hash !== CHANGED_AT_REF)
        .map((f) => [
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
  const positives = def.source.globs.filter((g) => !g.startsWith('!'));
  const negatives = def.source.globs.filter((g) => g.startsWith('!')).map((g) => g.slice(1));
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

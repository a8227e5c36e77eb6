// --changed-since <ref>: keep only imports whose definition or matched files changed since a git commit (stateless CI).
import { basename } from 'node:path';
import { execa } from 'execa';
import picomatch from 'picomatch';
import { parseConfigText } from '../config/parse-config-text.js';
import type { ImportDefinition } from '../config/types.js';
import { CopernicaSyncError, UsageError } from '../core/errors.js';
import { EXIT } from '../core/exit-codes.js';
import { canonicalJson } from '../plan/fingerprint.js';
import type { PreparedPlan } from './prepare-plan.js';
import { rebuildPlan } from './rebuild-plan.js';

export async function restrictToChangedSince(prepared: PreparedPlan, ref: string): Promise<PreparedPlan> {
  const changed = await findChangedImports(prepared, ref);
  const imports = prepared.plan.imports.map((p) => {
    if (changed.has(p.name) || !p.willRun) return p;
    return { ...p, status: 'unchanged' as const, willRun: false, reasons: [`unchanged since ${ref}`] };
  });
  return { ...prepared, plan: rebuildPlan(imports) };
}

export async function findChangedImports(prepared: PreparedPlan, ref: string): Promise<Set<string>> {
  const { config } = prepared;
  await git(config.dir, ['rev-parse', '--show-toplevel'], 'find the git repository', true);
  await git(
    config.dir,
    ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`],
    `find the commit ${ref}`,
    true,
  );
  // `<ref>:./name` is relative to the cwd: no repo-root arithmetic that a symlinked temp dir could break.
  const configAtRef = `./${basename(config.file)}`;
  const oldText = await gitMaybe(config.dir, ['show', `${ref}:${configAtRef}`]);
  const oldDefinitions =
    oldText === undefined ? new Map<string, ImportDefinition>() : parseOld(oldText, config.file);
  const changedFiles = await listChangedFiles(config.dir, ref);
  const changed = new Set<string>();
  for (const def of config.imports) {
    const old = oldDefinitions.get(def.name);
    if (!old || definitionKey(old) !== definitionKey(def)) changed.add(def.name);
    else if (touchesChangedFiles(def, prepared, changedFiles)) changed.add(def.name);
  }
  return changed;
}

function parseOld(text: string, file: string): Map<string, ImportDefinition> {
  const parsed = parseConfigText(text, file, { file, env: {} });
  return new Map((parsed.config?.imports ?? []).map((d) => [d.name, d]));
}

/** What makes an import's data or parameters differ; position, description, order and safety limits do not. */
function definitionKey(def: ImportDefinition): string {
  const {
    position: _p,
    description: _d,
    dependsOn: _deps,
    sourcePositions: _s,
    safety: _safety,
    ...rest
  } = def;
  return canonicalJson(rest);
}

function touchesChangedFiles(def: ImportDefinition, prepared: PreparedPlan, changedFiles: string[]): boolean {
  if (def.source.kind !== 'files') return false;
  const matched = new Set(prepared.sources.get(def.name)?.files.map((f) => f.path) ?? []);
  const positives = def.source.globs.filter((g) => !g.startsWith('!'));
  const negatives = def.source.globs.filter((g) => g.startsWith('!')).map((g) => g.slice(1));
  const isMatch = picomatch(positives, { dot: false });
  const isExcluded = negatives.length > 0 ? picomatch(negatives) : () => false;
  return changedFiles.some((f) => matched.has(f) || (isMatch(f) && !isExcluded(f)));
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
  const result = await execa('git', args, { cwd, reject: false, stdin: 'ignore' });
  if (result.exitCode === 0) return String(result.stdout);
  const detail = String(result.stderr).trim().split('\n').slice(-3).join(' ');
  const hint = 'run inside a git checkout with enough history (in CI: fetch-depth: 0) and a valid ref';
  if (usage) throw new UsageError(`--changed-since: cannot ${what}${detail ? `: ${detail}` : ''}`, { hint });
  throw new CopernicaSyncError('E_GIT', `--changed-since: cannot ${what}${detail ? `: ${detail}` : ''}`, {
    hint,
    exitCode: EXIT.failure,
  });
}

async function gitMaybe(cwd: string, args: string[]): Promise<string | undefined> {
  const result = await execa('git', args, { cwd, reject: false, stdin: 'ignore' });
  return result.exitCode === 0 ? String(result.stdout) : undefined;
}

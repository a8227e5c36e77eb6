// `plan --remote` (pre-flight against the emulator), the warm plan's hash cache, and `--changed-since` in a git repo.
import assert from 'node:assert/strict';
import { statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { execa } from 'execa';
import { importsYaml, parseNdjson, planHashOf, planLine, seedWithProfiles, useProjects } from './helpers.js';

const project = useProjects();

const CSV = 'Email,Name\nann@example.com,Ann\nzed@example.com,Zed\n';

describe('plan --remote', () => {
  it('marks an unknown database and a key field that is no field as invalid (exit 1)', async () => {
    const p = await project({
      'imports.yaml': importsYaml(
        [
          '  nodb: { database: Nope, keyFields: [Email], source: a.csv }',
          '  nokey: { database: Newsletter, keyFields: [Mail], source: b.csv }',
          '  fine: { database: Newsletter, keyFields: [Email], source: a.csv }',
        ].join('\n'),
      ),
      'a.csv': CSV,
      'b.csv': 'Mail,Name\nx@example.com,X\n',
    });
    const offline = await p.cli(['plan', '--detailed-exitcode']);
    assert.equal(offline.exitCode, 2, 'offline, the API problems are not visible');
    const r = await p.cli(['plan', '--remote']);
    assert.equal(r.exitCode, 1, r.stderr);
    assert.match(planLine(r.stdout, 'nodb'), /^invalid\s+nodb\s+E_REMOTE_DATABASE/);
    assert.match(planLine(r.stdout, 'nokey'), /^invalid\s+nokey\s+E_REMOTE_KEY_FIELD/);
    assert.match(planLine(r.stdout, 'fine'), /^new\s+fine/);
    assert.equal(p.posts(), 0, 'plan never imports');
  });

  it('refuses a removeMissing that would delete more than maxDeleteShare of a live database', async () => {
    const p = await project(
      {
        'imports.yaml': importsYaml(
          '  shrink: { database: Big, keyFields: [Email], source: s.csv, removeMissing: true }',
        ),
        's.csv': 'Email,Name\np0@example.com,P0\np1@example.com,P1\np2@example.com,P2\n',
      },
      { seed: seedWithProfiles(12) },
    );
    const r = await p.cli(['plan', '--remote']);
    assert.equal(r.exitCode, 3, r.stdout);
    assert.match(planLine(r.stdout, 'shrink'), /^refused\s+shrink/);
    assert.match(r.stderr, /\[shrink\] .*\n {2}hint: .*allow-destructive/);
    const passed = await p.cli([
      'plan',
      '--remote',
      '--allow-destructive',
      '--detailed-exitcode',
      '--format',
      'json',
    ]);
    assert.equal(passed.exitCode, 2, passed.stdout);
    const item = parseNdjson(passed.stdout).find((e) => e.name === 'shrink');
    assert.equal(item?.willRun, true);
    assert.match(JSON.stringify(item?.overridden), /E_GUARD_DELETE_SHARE/);
    assert.equal(p.emulator.listProfiles('Big').length, 12);
  });

  it('needs the token (exit 78, naming the variable) and never prints it', async () => {
    const p = await project({
      'imports.yaml': importsYaml('  fine: { database: Newsletter, keyFields: [Email], source: a.csv }'),
      'a.csv': CSV,
    });
    const missing = await p.cli(['plan', '--remote'], { COPERNICA_ACCESS_TOKEN: '' });
    assert.equal(missing.exitCode, 78);
    assert.match(missing.stderr, /E_TOKEN_MISSING .*COPERNICA_ACCESS_TOKEN/);
    const github = await p.cli(['plan', '--remote', '--format', 'github']);
    assert.equal(github.exitCode, 0, github.stderr);
    assert.ok(
      github.stdout.startsWith(`::add-mask::${p.emulator.token}\n`),
      'github format masks the token first',
    );
    assert.equal(github.stdout.split(p.emulator.token).length, 2, 'the token shows only in the mask command');
  });
});

describe('the warm plan', () => {
  it('stores content hashes in the state and trusts them while size, mtime and inode hold', async () => {
    const p = await project({
      'imports.yaml': importsYaml('  people: { database: Newsletter, keyFields: [Email], source: a.csv }'),
      'a.csv': CSV,
    });
    const file = join(p.dir, 'a.csv');
    const old = new Date(Date.now() - 3_600_000);
    utimesSync(file, old, old);
    const cold = await p.cli(['plan']);
    assert.equal(cold.exitCode, 0, cold.stderr);
    const cache = p.state().hashCache;
    assert.deepEqual(Object.keys(cache), [file]);
    assert.equal(cache[file]?.rows, 2);
    // Same size, same mtime, same inode, other bytes: only a plan that re-read the file would notice.
    writeFileSync(file, CSV.replace('Zed', 'Zoe'));
    utimesSync(file, old, old);
    const stateWritten = statSync(p.statePath).mtimeMs;
    const warm = await p.cli(['plan']);
    assert.equal(warm.stdout, cold.stdout);
    assert.equal(statSync(p.statePath).mtimeMs, stateWritten, 'a warm plan writes nothing');
    // A new mtime makes it re-read, and the fingerprint moves.
    utimesSync(file, new Date(), new Date());
    const touched = await p.cli(['plan']);
    assert.notEqual(planHashOf(touched.stdout), planHashOf(cold.stdout));
  });
});

describe('plan --changed-since', () => {
  async function git(dir: string, ...args: string[]): Promise<void> {
    await execa('git', args, { cwd: dir, env: { GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' } });
  }
  const yaml = (extra = '') =>
    importsYaml(
      [
        '  alpha: { database: Newsletter, keyFields: [Email], source: "data/alpha/*.csv" }',
        `  beta: { database: Leads, keyFields: [Email], source: data/beta.csv${extra} }`,
        '  gamma: { database: Leads, keyFields: [Email], source: data/gamma.csv }',
      ].join('\n'),
    );

  it('plans only the imports whose files or definition changed since the ref', async () => {
    const p = await project({
      'imports.yaml': yaml(),
      'data/alpha/1.csv': CSV,
      'data/beta.csv': CSV,
      'data/gamma.csv': CSV,
      '.gitignore': '.state/\n',
    });
    await git(p.dir, 'init', '-q', '-b', 'main');
    await git(p.dir, 'add', '.');
    await git(p.dir, '-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '-m', 'base');

    const none = await p.cli(['plan', '--changed-since', 'HEAD', '--detailed-exitcode']);
    assert.equal(none.exitCode, 0, none.stdout + none.stderr);
    assert.match(planLine(none.stdout, 'alpha'), /unchanged\s+alpha\s+unchanged since HEAD/);

    p.write('data/alpha/2.csv', CSV);
    const files = await p.cli(['plan', '--changed-since', 'HEAD', '--format', 'json']);
    const toRun = (out: string) =>
      parseNdjson(out)
        .filter((e) => e.type === 'import' && e.willRun === true)
        .map((e) => e.name);
    assert.deepEqual(toRun(files.stdout), ['alpha']);

    const applied = await p.cli(['apply', '--changed-since', 'HEAD']);
    assert.equal(applied.exitCode, 0, applied.stdout + applied.stderr);
    assert.equal(p.posts(), 1, 'stateless CI: only the changed import runs');

    p.remove('data/alpha/2.csv');
    p.write('imports.yaml', yaml(', removeMissing: true'));
    const definition = await p.cli(['plan', '--changed-since', 'HEAD', '--format', 'json']);
    assert.deepEqual(toRun(definition.stdout), ['beta']);
    p.write('imports.yaml', yaml(', safety: { minRows: 1, maxShrink: 0.5 }'));
    const safetyOnly = await p.cli(['plan', '--changed-since', 'HEAD', '--format', 'json']);
    assert.deepEqual(toRun(safetyOnly.stdout), [], 'safety limits are not data: nothing to re-run');

    const bad = await p.cli(['plan', '--changed-since', 'no-such-ref']);
    assert.equal(bad.exitCode, 64, bad.stderr);
    assert.match(bad.stderr, /--changed-since/);
  });
});

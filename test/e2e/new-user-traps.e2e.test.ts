// The traps a new user fell into (issue #13), each through the built CLI: exit code, output, requests sent.
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { execa } from 'execa';
import { CLI_PATH, REPO_ROOT } from '../helpers/cli.js';
import { importsYaml, parseNdjson, planLine, useProjects } from './helpers.js';

const project = useProjects();
const CSV = 'Email,Name\nann@example.com,Ann\nzed@example.com,Zed\n';
const THREE = importsYaml(
  [
    '  one: { database: Newsletter, keyFields: [Email], source: a.csv }',
    '  two: { database: Newsletter, keyFields: [Email], source: a.csv }',
    '  three: { database: Leads, keyFields: [Email], source: a.csv }',
  ].join('\n'),
);

async function git(dir: string, ...args: string[]): Promise<void> {
  await execa('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
    cwd: dir,
    env: { GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' },
  });
}

describe('changing what Copernica receives is a change (trap 2)', () => {
  it('a changed encoding re-runs the import and says so', async () => {
    const yaml = (encoding: string) =>
      importsYaml(
        `  people: { database: Newsletter, keyFields: [Email], source: a.csv, encoding: ${encoding} }`,
      );
    const p = await project({ 'imports.yaml': yaml('utf-8'), 'a.csv': CSV });
    assert.equal((await p.cli(['apply'])).exitCode, 0);
    p.write('imports.yaml', yaml('windows-1252'));
    const r = await p.cli(['plan', '--detailed-exitcode']);
    assert.equal(r.exitCode, 2, r.stdout + r.stderr);
    assert.match(planLine(r.stdout, 'people'), /^changed\s+people\s+parameters changed: encoding$/);
  });
});

describe('per-file inboxes (trap 5)', () => {
  const inbox = importsYaml(
    '  leads: { database: Leads, mode: per-file, keyFields: [Email], source: "inbox/*.csv" }',
  );

  it('each file has its own header: partners with different columns are all imported', async () => {
    const p = await project({
      'imports.yaml': inbox,
      'inbox/a.csv': 'Email,Name\nann@example.com,Ann\n',
      'inbox/b.csv': 'Name,Email,Company\nBob,bob@example.com,Acme\n',
    });
    const r = await p.cli(['apply']);
    assert.equal(r.exitCode, 0, r.stdout + r.stderr);
    assert.doesNotMatch(r.stderr, /E_SOURCE_HEADER_MISMATCH/);
    assert.equal(p.posts(), 2);
    assert.deepEqual(
      p.emulator.listProfiles('Leads').map((profile) => profile.fields.Name),
      ['Ann', 'Bob'],
    );
  });

  it('an empty inbox is a quiet day (exit 0, nothing sent); a missing inbox directory is still an error', async () => {
    const p = await project({ 'imports.yaml': inbox, 'inbox/.keep': '' });
    const quiet = await p.cli(['apply']);
    assert.equal(quiet.exitCode, 0, quiet.stdout + quiet.stderr);
    assert.match(planLine(quiet.stdout, 'leads'), /^unchanged\s+leads\s+no file to import$/);
    assert.equal(p.posts(), 0);
    p.remove('inbox/.keep');
    rmSync(join(p.dir, 'inbox'), { recursive: true });
    const missing = await p.cli(['validate']);
    assert.equal(missing.exitCode, 78);
    assert.match(
      missing.stderr,
      /E_SOURCE_NO_MATCH \[leads\] source 'inbox\/\*\.csv' of import 'leads' matches no file/,
    );
  });

  it('a file without the key field is still an error, named at that file', async () => {
    const p = await project({
      'imports.yaml': inbox,
      'inbox/a.csv': 'Email,Name\nann@example.com,Ann\n',
      'inbox/b.csv': 'Mail,Name\nbob@example.com,Bob\n',
    });
    const r = await p.cli(['validate']);
    assert.equal(r.exitCode, 78);
    assert.match(r.stderr, /^inbox\/b\.csv:1:1 error E_SOURCE_KEY_MISSING/m);
  });
});

describe('quiet and empty values (trap 6)', () => {
  it('-q prints only the one summary line for a plan, and for an apply only problems and its summary', async () => {
    const p = await project({ 'imports.yaml': THREE, 'a.csv': CSV });
    const plan = await p.cli(['plan', '-q']);
    assert.equal(plan.exitCode, 0);
    assert.match(plan.stdout, /^Plan: 3 to run, 0 unchanged, 0 refused, 0 invalid\. Plan hash [0-9a-f]{64}$/);
    assert.equal(plan.stderr, '');
    const apply = await p.cli(['apply', '-q']);
    assert.equal(apply.exitCode, 0, apply.stderr);
    assert.equal(apply.stdout, 'Apply: 3 succeeded, 0 failed, 0 unchanged.');
  });

  it('--only "" (an empty CI variable) is a usage error, not "everything"', async () => {
    const p = await project({ 'imports.yaml': THREE, 'a.csv': CSV });
    for (const only of ['', ' , ']) {
      const r = await p.cli(['apply', '--only', only]);
      assert.equal(r.exitCode, 64, r.stderr);
      assert.match(r.stderr, /E_USAGE --only names no import/);
    }
    assert.equal(p.posts(), 0);
  });

  it('an empty token variable is called empty, not unset, and nothing is sent', async () => {
    const p = await project({ 'imports.yaml': THREE, 'a.csv': CSV });
    const empty = await p.cli(['apply'], { COPERNICA_ACCESS_TOKEN: '' });
    assert.equal(empty.exitCode, 78);
    assert.match(empty.stderr, /E_TOKEN_MISSING the environment variable COPERNICA_ACCESS_TOKEN is empty/);
    const unset = await p.cli(['apply'], { COPERNICA_ACCESS_TOKEN: undefined });
    assert.match(unset.stderr, /COPERNICA_ACCESS_TOKEN is not set/);
    assert.equal(p.emulator.requests.length, 0);
  });
});

describe('pipes and help (trap 8)', () => {
  for (const args of [['help', 'apply'], ['schema']]) {
    it(`\`copernica-sync ${args.join(' ')}\` into a closed pipe ends quietly with exit 0`, async () => {
      const child = execa(process.execPath, [CLI_PATH, ...args], { reject: false, cwd: REPO_ROOT });
      child.stdout?.destroy(); // the reader is gone before the first write: EPIPE
      const r = await child;
      assert.equal(r.exitCode, 0);
      assert.doesNotMatch(String(r.stderr), /EPIPE|Error|\n\s+at /);
    });
  }

  it("each command's --help lists only the options that mean something to it", async () => {
    const help = async (command: string) =>
      (await execa(process.execPath, [CLI_PATH, command, '--help'], { cwd: REPO_ROOT })).stdout;
    for (const command of ['emulator', 'schema']) {
      const text = await help(command);
      for (const flag of ['--config', '--format', '--state', '--only', '--quiet']) {
        assert.ok(!text.includes(flag), `${command} --help lists ${flag}`);
      }
    }
    const init = await help('init');
    assert.ok(init.includes('--config') && init.includes('--force'));
    assert.ok(!init.includes('--format') && !init.includes('--only'));
    const apply = await help('apply');
    for (const flag of ['--config', '--format', '--state', '--only', '--plan-hash'])
      assert.ok(apply.includes(flag), flag);
  });
});

describe('status of an import nobody checked (trap 13)', () => {
  it('offline, a submitted import makes status exit 1 and say how to resolve it', async () => {
    const p = await project({ 'imports.yaml': THREE, 'a.csv': CSV });
    assert.equal((await p.cli(['apply', '--no-wait', '--only', 'one'])).exitCode, 0);
    const offline = await p.cli(['status'], { COPERNICA_ACCESS_TOKEN: undefined });
    assert.equal(offline.exitCode, 1, offline.stdout);
    assert.match(
      offline.stdout,
      /^one: submitted at \S+, 2 rows, fingerprint [0-9a-f]{12}, Copernica import \d+$/m,
    );
    assert.match(
      offline.stdout,
      /outcome not checked: run `copernica-sync status` or `copernica-sync apply`/,
    );
  });
});

describe('--changed-since in CI (traps 15 and 16)', () => {
  const files = () => ({
    'imports.yaml': THREE,
    'a.csv': CSV,
    'b.csv': CSV,
    '.gitignore': '.state/\n',
  });

  it("a branch's first push (git's null commit as the ref) runs every import and says why", async () => {
    const p = await project(files());
    await git(p.dir, 'init', '-q', '-b', 'main');
    await git(p.dir, 'add', '.');
    await git(p.dir, 'commit', '-q', '-m', 'first');
    // The README's GitHub Actions recipe, as GitHub runs it on a first push.
    const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
    const recipe = /npx copernica-sync (apply --changed-since) \$\{\{ github\.event\.before \}\}/.exec(
      readme,
    );
    assert.ok(recipe, 'the README recipe applies --changed-since github.event.before');
    const args = [...(recipe[1] ?? '').split(' '), '0'.repeat(40)];
    const r = await p.cli([...args, '--format', 'json']);
    assert.equal(r.exitCode, 0, r.stdout + r.stderr);
    const imports = parseNdjson(r.stdout).filter((e) => e.type === 'import');
    assert.equal(imports.length, 3);
    for (const e of imports) {
      assert.equal(e.willRun, true);
      assert.match(
        String((e.reasons as string[])[0]),
        /null commit \(a branch's first push\): every import counts as changed/,
      );
    }
    assert.equal(p.posts(), 3);
  });

  it('each reason names what changed since the ref: files, parameters, a new import', async () => {
    const p = await project(files());
    await git(p.dir, 'init', '-q', '-b', 'main');
    await git(p.dir, 'add', '.');
    await git(p.dir, 'commit', '-q', '-m', 'base');
    p.write('a.csv', `${CSV}new@example.com,New\n`);
    p.write(
      'imports.yaml',
      importsYaml(
        [
          '  one: { database: Newsletter, keyFields: [Email], source: a.csv }',
          '  two: { database: Newsletter, keyFields: [Email], source: b.csv, ignoreEmptyFields: true }',
          '  three: { database: Leads, keyFields: [Email], source: b.csv }',
          '  four: { database: Leads, keyFields: [Email], source: b.csv }',
        ].join('\n'),
      ),
    );
    const r = await p.cli(['plan', '--changed-since', 'HEAD']);
    assert.equal(r.exitCode, 0, r.stderr);
    assert.match(planLine(r.stdout, 'one'), /^changed\s+one\s+files changed: a\.csv$/);
    assert.match(planLine(r.stdout, 'two'), /^changed\s+two\s+files added: b\.csv$/);
    assert.match(planLine(r.stdout, 'four'), /^new\s+four\s+new since HEAD$/);
    assert.doesNotMatch(r.stdout, /never applied/);
  });
});

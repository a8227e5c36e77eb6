// `plan` end to end: every status, the offline guards (exit 3 + hint), invalid sources, exit codes and the plan hash.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { importsYaml, planHashOf, planLine, useProjects } from './helpers.js';

const project = useProjects();

const CSV3 = 'Email,Name\nann@example.com,Ann\nbob@example.com,Bob\nnew@example.com,New\n';

describe('plan statuses', () => {
  it('new, then unchanged after apply, then changed with the file and the parameter', async () => {
    const p = await project({
      'imports.yaml': importsYaml(
        [
          '  people: { database: Newsletter, keyFields: [Email], source: data/people.csv }',
          '  leads: { database: Leads, keyFields: [Email], source: data/leads.csv }',
        ].join('\n'),
      ),
      'data/people.csv': CSV3,
      'data/leads.csv': 'Email,Name\nl1@example.com,L1\n',
    });
    const first = await p.cli(['plan', '--detailed-exitcode']);
    assert.equal(first.exitCode, 2, first.stderr);
    assert.match(planLine(first.stdout, 'people'), /^new\s+people\s+never applied/);
    assert.match(first.stdout, /Plan: 2 to run, 0 unchanged, 0 refused, 0 invalid\. Plan hash [0-9a-f]{64}/);
    const second = await p.cli(['plan']);
    assert.equal(second.exitCode, 0);
    assert.equal(planHashOf(second.stdout), planHashOf(first.stdout), 'the hash is stable across runs');

    assert.equal((await p.cli(['apply'])).exitCode, 0);
    const after = await p.cli(['plan', '--detailed-exitcode']);
    assert.equal(after.exitCode, 0, after.stdout);
    assert.match(planLine(after.stdout, 'people'), /^unchanged\s+people/);
    assert.match(after.stdout, /Plan: 0 to run, 2 unchanged/);

    p.write('data/people.csv', `${CSV3}zoe@example.com,Zoe\n`);
    p.write(
      'imports.yaml',
      importsYaml(
        [
          '  people: { database: Newsletter, keyFields: [Email], source: data/people.csv }',
          '  leads: { database: Leads, keyFields: [Email], source: data/leads.csv, ignoreEmptyFields: true }',
        ].join('\n'),
      ),
    );
    const changed = await p.cli(['plan', '--detailed-exitcode', '--format', 'json']);
    assert.equal(changed.exitCode, 2);
    const events = changed.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const people = events.find((e) => e.name === 'people');
    const leads = events.find((e) => e.name === 'leads');
    assert.equal(people?.status, 'changed');
    assert.deepEqual(people?.changedFiles, ['data/people.csv']);
    assert.equal(leads?.status, 'changed');
    assert.ok(
      ((leads?.changedParameters ?? []) as string[]).includes('ignoreEmptyFields'),
      JSON.stringify(leads),
    );
    const summary = events.at(-1);
    assert.equal(summary?.type, 'summary');
    assert.equal(summary?.toRun, 2);
    assert.match(String(summary?.hash), /^[0-9a-f]{64}$/);
  });

  it('failed-before after an import Copernica could not run', async () => {
    const p = await project({
      'imports.yaml': importsYaml(
        '  feed: { database: Leads, keyFields: [Email], location: "https://feed.example.invalid/a.csv" }',
      ),
    });
    const applied = await p.cli(['apply']);
    assert.equal(applied.exitCode, 1, applied.stdout);
    assert.match(applied.stdout, /Could not read the source/);
    assert.equal(p.state().imports.feed?.outcome, 'failed');
    const plan = await p.cli(['plan', '--detailed-exitcode']);
    assert.equal(plan.exitCode, 2);
    assert.match(planLine(plan.stdout, 'feed'), /^failed-before\s+feed/);
  });

  it('an invalid source exits 1 with the file and line', async () => {
    const p = await project({
      'imports.yaml': importsYaml(
        '  people: { database: Newsletter, keyFields: [Email], source: data/p.csv }',
      ),
      'data/p.csv': 'Mail,Name\na@example.com,A\n',
    });
    for (const args of [['plan'], ['plan', '--detailed-exitcode']]) {
      const r = await p.cli(args);
      assert.equal(r.exitCode, 1, r.stderr);
      assert.match(planLine(r.stdout, 'people'), /^invalid\s+people/);
      assert.match(r.stderr, /data\/p\.csv:1:\d+ error E_\w+/);
    }
  });
});

describe('plan refuses what the offline guards stop (exit 3, with a hint)', () => {
  it('E_GUARD_MIN_ROWS', async () => {
    const p = await project({
      'imports.yaml': importsYaml(
        '  d: { database: Newsletter, action: delete, keyFields: [Email], source: d.csv, safety: { minRows: 3 } }',
      ),
      'd.csv': 'Email\na@example.com\n',
    });
    const r = await p.cli(['plan']);
    assert.equal(r.exitCode, 3, `${r.stdout}\n${r.stderr}`);
    assert.match(planLine(r.stdout, 'd'), /^refused\s+d/);
    assert.match(r.stderr, /^error E_GUARD_MIN_ROWS \[d\] .*\n {2}hint: .*--allow-destructive/m);
    const github = await p.cli(['plan', '--format', 'github']);
    assert.match(github.stdout, /^::error title=E_GUARD_MIN_ROWS::.*\(hint: .*--allow-destructive/m);
    const detailed = await p.cli(['plan', '--detailed-exitcode', '--format', 'json']);
    assert.equal(detailed.exitCode, 3);
    assert.match(detailed.stdout, /E_GUARD_MIN_ROWS/);
  });

  it('E_GUARD_MAX_SHRINK against the last applied run, passed with --allow-destructive', async () => {
    const rows = (n: number) =>
      `Email,Name\n${Array.from({ length: n }, (_, i) => `m${i}@example.com,M${i}\n`).join('')}`;
    const p = await project({
      'imports.yaml': importsYaml(
        '  m: { database: Newsletter, keyFields: [Email], source: m.csv, removeMissing: true }',
      ),
      'm.csv': rows(10),
    });
    assert.equal((await p.cli(['apply'])).exitCode, 0);
    p.write('m.csv', rows(5));
    const refused = await p.cli(['plan', '--format', 'json']);
    assert.equal(refused.exitCode, 3);
    assert.match(refused.stdout, /E_GUARD_MAX_SHRINK/);
    const passed = await p.cli(['plan', '--allow-destructive', '--detailed-exitcode']);
    assert.equal(passed.exitCode, 2, passed.stdout);
  });
});

describe('plan output formats', () => {
  it('--format github appends a Markdown table to $GITHUB_STEP_SUMMARY and annotates problems', async () => {
    const p = await project({
      'imports.yaml': importsYaml(
        [
          '  good: { database: Newsletter, keyFields: [Email], source: good.csv }',
          '  bad: { database: Newsletter, keyFields: [Email], source: bad.csv }',
        ].join('\n'),
      ),
      'good.csv': CSV3,
      'bad.csv': 'Mail\nx\n',
    });
    const summaryFile = join(p.dir, 'step-summary.md');
    const r = await p.cli(['plan', '--format', 'github'], { GITHUB_STEP_SUMMARY: summaryFile });
    assert.equal(r.exitCode, 1);
    assert.match(r.stdout, /^::error file=bad\.csv,line=1,col=\d+,title=E_SOURCE_KEY_MISSING::/m);
    assert.ok(existsSync(summaryFile));
    const md = readFileSync(summaryFile, 'utf8');
    assert.match(md, /\| status \| import \| action \| database \| rows \| row changes \| why \|/);
    assert.match(md, /\| new \| `good` \|/);
    assert.match(md, /\| invalid \| `bad` \|/);
    assert.ok(md.includes(planHashOf(r.stdout)));
  });

  it('GITHUB_ACTIONS=true picks the github format by default', async () => {
    const p = await project({
      'imports.yaml': importsYaml('  good: { database: Newsletter, keyFields: [Email], source: good.csv }'),
      'good.csv': CSV3,
    });
    const summaryFile = join(p.dir, 'summary.md');
    const r = await p.cli(['plan'], { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summaryFile });
    assert.equal(r.exitCode, 0);
    assert.match(readFileSync(summaryFile, 'utf8'), /\| new \| `good` \|/);
  });

  it('--only pulls in dependencies', async () => {
    const p = await project({
      'imports.yaml': importsYaml(
        [
          '  base: { database: Newsletter, keyFields: [Email], source: a.csv }',
          '  top: { database: Newsletter, keyFields: [Email], source: a.csv, dependsOn: [base] }',
          '  other: { database: Leads, keyFields: [Email], source: a.csv }',
        ].join('\n'),
      ),
      'a.csv': CSV3,
    });
    const r = await p.cli(['plan', '--only', 'top', '--format', 'json']);
    assert.equal(r.exitCode, 0, r.stderr);
    const names = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; name?: string })
      .filter((e) => e.type === 'import')
      .map((e) => e.name);
    assert.deepEqual(names, ['base', 'top']);
  });
});

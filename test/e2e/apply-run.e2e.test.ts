// `apply` end to end against the emulator: profiles per action, the state, runs exactly once, and its options.
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { importsYaml, parseNdjson, planHashOf, profilesByEmail, useProjects } from './helpers.js';

const project = useProjects();

const UPSERT = 'Email,Name\nann@example.com,Annie\ndan@example.com,Dan\n';
const YAML = importsYaml(
  [
    '  upsert: { database: Newsletter, keyFields: [Email], source: upsert.csv }',
    '  remove: { database: Newsletter, action: delete, keyFields: [Email], source: remove.json, dependsOn: [upsert] }',
    '  leads: { database: Leads, action: add, source: leads.jsonl }',
  ].join('\n'),
);
const FILES = {
  'imports.yaml': YAML,
  'upsert.csv': UPSERT,
  'remove.json': '[{"Email": "bob@example.com"}]',
  'leads.jsonl': '{"Email": "l1@example.com", "Name": "L1"}\n{"Email": "l2@example.com", "Name": "L2"}\n',
};

describe('apply', () => {
  it('changes the profiles per action, records each import, and runs each content once', async () => {
    const p = await project(FILES);
    const r = await p.cli(['apply']);
    assert.equal(r.exitCode, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /Apply: 3 succeeded, 0 failed, 0 unchanged\./);
    const news = profilesByEmail(p.emulator, 'Newsletter');
    assert.deepEqual([...news.keys()].sort(), ['ann@example.com', 'cas@example.com', 'dan@example.com']);
    assert.equal(news.get('ann@example.com')?.Name, 'Annie');
    assert.equal(news.get('ann@example.com')?.City, 'Delft', 'update or add keeps the other fields');
    assert.deepEqual([...profilesByEmail(p.emulator, 'Leads').keys()].sort(), [
      'l1@example.com',
      'l2@example.com',
    ]);
    // upsert ran before remove (dependsOn), both on database 1.
    const order = p.emulator.listImports().map((i) => i.name.split(' ')[0]);
    assert.ok(order.indexOf('upsert') < order.indexOf('remove'), order.join(','));

    const state = p.state();
    const plan = parseNdjson((await p.cli(['plan', '--format', 'json'])).stdout);
    for (const name of ['upsert', 'remove', 'leads']) {
      const entry = state.imports[name];
      assert.equal(entry?.outcome, 'finished', name);
      assert.match(entry?.importId ?? '', /^\d+$/);
      assert.equal(entry?.fingerprint, plan.find((e) => e.name === name)?.fingerprint);
    }
    assert.ok(!JSON.stringify(state).includes(p.emulator.token));

    const posts = p.posts();
    // Files older than the racy-timestamp window, cached by one plan: from then on nothing is rewritten.
    const old = new Date(Date.now() - 3_600_000);
    for (const file of ['upsert.csv', 'remove.json', 'leads.jsonl']) utimesSync(join(p.dir, file), old, old);
    await p.cli(['plan']);
    const written = statSync(p.statePath).mtimeMs;
    const again = await p.cli(['apply']);
    assert.equal(statSync(p.statePath).mtimeMs, written, 'nothing to do: the state is not rewritten');
    assert.equal(again.exitCode, 0);
    assert.match(again.stdout, /Plan: 0 to run, 3 unchanged/);
    assert.equal(p.posts(), posts, 'a second apply sends nothing');

    p.write('upsert.csv', `${UPSERT}eve@example.com,Eve\n`);
    const one = await p.cli(['apply', '--format', 'json']);
    assert.equal(one.exitCode, 0, one.stdout);
    const started = parseNdjson(one.stdout).filter((e) => e.type === 'import-start');
    assert.deepEqual(
      started.map((e) => e.name),
      ['upsert'],
    );
    const types = parseNdjson(one.stdout).map((e) => e.type);
    assert.equal(types.at(-1), 'summary');
    assert.equal(types.filter((t) => t === 'summary').length, 1, 'the plan closes with plan-summary');
    assert.ok(types.includes('plan-summary'));
    assert.equal(p.posts(), posts + 1);
    assert.ok(profilesByEmail(p.emulator, 'Newsletter').has('eve@example.com'));

    const forced = await p.cli(['apply', '--force', '--only', 'leads']);
    assert.equal(forced.exitCode, 0);
    assert.equal(p.posts(), posts + 2, '--force re-runs an unchanged import');
  });

  it('--dry-run sends nothing; --plan-hash refuses a different plan and applies the reviewed one', async () => {
    const p = await project(FILES);
    const dry = await p.cli(['apply', '--dry-run']);
    assert.equal(dry.exitCode, 0);
    assert.match(dry.stdout, /Plan: 3 to run/);
    assert.equal(p.emulator.requests.length, 0, 'dry-run talks to nobody');
    const reviewed = planHashOf((await p.cli(['plan'])).stdout);

    p.write('upsert.csv', `${UPSERT}eve@example.com,Eve\n`);
    const mismatch = await p.cli(['apply', '--plan-hash', reviewed]);
    assert.equal(mismatch.exitCode, 3, mismatch.stderr);
    assert.match(mismatch.stderr, /E_PLAN_HASH_MISMATCH .*nothing was sent/);
    assert.equal(p.posts(), 0);

    const bad = await p.cli(['apply', '--plan-hash', 'abc']);
    assert.equal(bad.exitCode, 64);

    const fresh = planHashOf((await p.cli(['plan'])).stdout);
    const ok = await p.cli(['apply', '--plan-hash', fresh.toUpperCase()]);
    assert.equal(ok.exitCode, 0, ok.stderr);
    assert.equal(p.posts(), 3);
  });

  it('--no-wait submits without polling and records "submitted"', async () => {
    const p = await project(FILES);
    const r = await p.cli(['apply', '--no-wait', '--only', 'leads']);
    assert.equal(r.exitCode, 0, r.stderr);
    assert.match(r.stdout, /submitted \(not waiting\)/);
    assert.equal(p.state().imports.leads?.outcome, 'submitted');
    assert.equal(p.emulator.requests.filter((q) => q.path.includes('/import/')).length, 0);
  });

  it('a failed dependency skips its dependents; independent imports still run (exit 1)', async () => {
    const p = await project({
      'imports.yaml': importsYaml(
        [
          '  feed: { database: Newsletter, keyFields: [Email], location: "https://feed.example.invalid/a.csv" }',
          '  after-feed: { database: Newsletter, keyFields: [Email], source: upsert.csv, dependsOn: [feed] }',
          '  leads: { database: Leads, action: add, source: leads.jsonl }',
        ].join('\n'),
      ),
      'upsert.csv': UPSERT,
      'leads.jsonl': FILES['leads.jsonl'],
    });
    const summary = join(p.dir, 'summary.md');
    const r = await p.cli(['apply', '--format', 'github'], { GITHUB_STEP_SUMMARY: summary });
    assert.equal(r.exitCode, 1, r.stdout);
    assert.match(r.stdout, /✗ feed: failed E_IMPORT_FAILED/);
    assert.match(r.stdout, /^::error title=E_IMPORT_FAILED::feed: failed: .*Could not read the source/m);
    const markdown = readFileSync(summary, 'utf8');
    assert.match(markdown, /\| new \| `feed` \|/);
    assert.match(markdown, /\| `feed` \| failed \| \d+ \| .*Could not read the source/);
    assert.match(markdown, /\| `after-feed` \| skipped \|/);
    assert.match(markdown, /\| `leads` \| finished \| \d+ \|/);
    assert.match(r.stdout, /- after-feed: skipped \(depends on feed, which did not succeed\)/);
    assert.match(r.stdout, /✓ leads: finished/);
    assert.equal(p.emulator.listProfiles('Leads').length, 2);
    assert.equal(profilesByEmail(p.emulator, 'Newsletter').has('dan@example.com'), false);
    const state = p.state();
    assert.equal(state.imports.feed?.outcome, 'failed');
    assert.equal(state.imports['after-feed'], undefined, 'a skipped import is not recorded');
  });

  it('per-file mode imports each new file once', async () => {
    const p = await project({
      'imports.yaml': importsYaml(
        '  inbox: { database: Leads, mode: per-file, keyFields: [Email], source: "inbox/*.csv" }',
      ),
      'inbox/a.csv': 'Email,Name\na@example.com,A\n',
      'inbox/b.csv': 'Email,Name\nb@example.com,B\n',
    });
    assert.equal((await p.cli(['apply'])).exitCode, 0);
    assert.equal(p.posts(), 2);
    assert.equal((await p.cli(['apply'])).exitCode, 0);
    assert.equal(p.posts(), 2);
    p.write('inbox/c.csv', 'Email,Name\nc@example.com,C\n');
    const third = await p.cli(['apply']);
    assert.equal(third.exitCode, 0, third.stdout);
    assert.match(third.stdout, /from inbox\/c\.csv/);
    assert.equal(p.posts(), 3);
    assert.deepEqual([...profilesByEmail(p.emulator, 'Leads').keys()].sort(), [
      'a@example.com',
      'b@example.com',
      'c@example.com',
    ]);
    assert.deepEqual(Object.keys(p.state().imports.inbox?.perFile ?? {}).sort(), [
      'inbox/a.csv',
      'inbox/b.csv',
      'inbox/c.csv',
    ]);
  });

  it('a command source: its output is imported, and plan and apply leave no temp files behind', async () => {
    const p = await project({
      'imports.yaml': importsYaml(
        '  cmd: { database: Leads, keyFields: [Email], command: [node, gen.mjs], format: csv }',
      ),
      'gen.mjs': "process.stdout.write('Email,Name\\ncmd@example.com,Cmd\\n');\n",
    });
    const tmp = join(p.dir, 'tmp');
    mkdirSync(tmp);
    const plan = await p.cli(['plan', '--detailed-exitcode'], { TMPDIR: tmp });
    assert.equal(plan.exitCode, 2, plan.stdout + plan.stderr);
    assert.deepEqual(readdirSync(tmp), []);
    const r = await p.cli(['apply'], { TMPDIR: tmp });
    assert.equal(r.exitCode, 0, r.stdout + r.stderr);
    assert.deepEqual(readdirSync(tmp), []);
    assert.ok(profilesByEmail(p.emulator, 'Leads').has('cmd@example.com'));
  });

  it('a windows-1252 Excel export arrives as the characters it holds: €, curly quotes, dashes, accents', async () => {
    const yaml = importsYaml(
      "  excel: { database: Leads, keyFields: [Email], source: excel.csv, encoding: windows-1252, delimiter: ';' }",
    );
    const p = await project({ 'imports.yaml': yaml });
    // bytes 0x93/0x94 curly quotes, 0x80 euro, 0x96 en dash, 0xE9 é: what Excel on Windows writes
    const csv = 'Email;Name\r\nzoe@example.com;\x93Caf\xe9\x94 \x80 5 \x96 ok\r\n';
    writeFileSync(join(p.dir, 'excel.csv'), Buffer.from(csv, 'latin1'));
    const r = await p.cli(['apply']);
    assert.equal(r.exitCode, 0, r.stdout + r.stderr);
    assert.equal(profilesByEmail(p.emulator, 'Leads').get('zoe@example.com')?.Name, '“Café” € 5 – ok');
  });
});

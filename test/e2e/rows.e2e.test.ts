// The row-level plan (issue 14, DESIGN.md section 9): row counts, a delta of only the changed rows, a prune of
// only the keys this import sent before, all over the emulator with the built CLI.
import assert from 'node:assert/strict';
import { existsSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { execa } from 'execa';
import { readSnapshot } from '../../src/state/row-snapshot.js';
import { importsYaml, type Project, parseNdjson, useProjects } from './helpers.js';

async function git(dir: string, ...args: string[]): Promise<void> {
  await execa('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
    cwd: dir,
    env: { GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' },
  });
}

const CONFIG = importsYaml(
  '  people: { database: Leads, keyFields: [Email], source: people.csv, send: changes, prune: true }',
);

type Row = [email: string, name: string];
const csv = (rows: readonly Row[]) => `Email,Name\n${rows.map((r) => r.join(',')).join('\n')}\n`;
const FIRST: Row[] = Array.from({ length: 100 }, (_, i) => [`p${i}@example.com`, `Person ${i}`]);

/** 5 changed (p0..p4), 2 added (n0, n1), 3 removed (p97..p99). */
function edited(): Row[] {
  const rows = FIRST.slice(0, 97).map(([email, name], i): Row => [email, i < 5 ? `${name} (moved)` : name]);
  return [...rows, ['n0@example.com', 'New 0'], ['n1@example.com', 'New 1']];
}

function rowChanges(stdout: string): unknown {
  const event = parseNdjson(stdout).find((e) => e.type === 'import' && e.name === 'people');
  return event?.rowChanges;
}

function profiles(p: Project): Row[] {
  return p.emulator
    .listProfiles('Leads')
    .map((profile): Row => [profile.fields.Email ?? '', profile.fields.Name ?? ''])
    .sort((a, b) => a[0].localeCompare(b[0]));
}

const sorted = (rows: readonly Row[]) => [...rows].sort((a, b) => a[0].localeCompare(b[0]));

describe('send: changes and prune over the emulator', () => {
  const project = useProjects();

  it('plans 2/5/3/92, sends the 7 rows and deletes the 3 keys, then sends nothing; half gone is refused', async () => {
    const p = await project({ 'imports.yaml': CONFIG, 'people.csv': csv(FIRST), '.gitignore': '.state/\n' });
    await git(p.dir, 'init', '-q');
    await git(p.dir, 'add', '-A');
    await git(p.dir, 'commit', '-qm', 'first');

    const first = await p.cli(['apply']);
    assert.equal(first.exitCode, 0, first.stdout + first.stderr);
    assert.deepEqual(profiles(p), sorted(FIRST));
    assert.ok(existsSync(join(p.dir, '.state', 'rows', 'people.rows.gz')), 'the row snapshot is written');

    p.write('people.csv', csv(edited()));
    await git(p.dir, 'commit', '-qam', 'edit rows');
    const plan = await p.cli(['plan', '--format', 'json']);
    assert.equal(plan.exitCode, 0, plan.stdout + plan.stderr);
    const counts = { added: 2, changed: 5, removed: 3, unchanged: 92 };
    assert.deepEqual(rowChanges(plan.stdout), counts);
    const stateless = await p.cli([
      'plan',
      '--format',
      'json',
      '--changed-since',
      'HEAD~1',
      '--state',
      'no-state/state.json',
    ]);
    assert.equal(stateless.exitCode, 0, stateless.stdout + stateless.stderr);
    assert.deepEqual(rowChanges(stateless.stdout), counts);
    const text = await p.cli(['plan']);
    assert.match(text.stdout, /rows \+2 ~5 −3 =92; sends 7 rows/);
    assert.match(text.stdout, /prune\s+people\s+delete 3 keys/);

    const importsBefore = p.emulator.listImports().length;
    const second = await p.cli(['apply', '--format', 'json']);
    assert.equal(second.exitCode, 0, second.stdout + second.stderr);
    const ran = p.emulator.listImports().slice(importsBefore);
    assert.equal(ran.length, 2, 'one import of the changed rows and one delete');
    const [delta, prune] = ran;
    assert.equal(delta?.action, 'update or add');
    assert.equal(delta?.totallines, 7);
    assert.deepEqual(
      { ...delta?.stats, unknownColumns: [] },
      {
        created: 2,
        updated: 5,
        deleted: 0,
        ignored: 0,
        removed: 0,
        unknownColumns: [],
      },
    );
    assert.equal(prune?.action, 'delete');
    assert.equal(prune?.totallines, 3);
    assert.equal(prune?.stats?.deleted, 3);
    assert.deepEqual(profiles(p), sorted(edited()));

    const third = await p.cli(['apply']);
    assert.equal(third.exitCode, 0, third.stderr);
    assert.equal(p.emulator.listImports().length, importsBefore + 2, 'a third apply sends nothing');

    const posts = p.posts();
    p.write('people.csv', csv(edited().slice(0, 50)));
    const refused = await p.cli(['apply']);
    assert.equal(refused.exitCode, 3, refused.stdout + refused.stderr);
    assert.match(refused.stdout + refused.stderr, /E_GUARD_DELETE_SHARE/);
    assert.equal(p.posts(), posts, 'a refused prune sends nothing');
    assert.deepEqual(profiles(p), sorted(edited()));
  });

  it('refuses a send: changes import with a repeated or blank key, on its first run too, naming the lines', async () => {
    const rows = `${csv(FIRST.slice(0, 5))}p1@example.com,Again\n,No key\n`;
    const p = await project({ 'imports.yaml': CONFIG, 'people.csv': rows });
    const r = await p.cli(['apply']);
    assert.equal(r.exitCode, 1, r.stdout + r.stderr);
    assert.match(r.stderr, /people\.csv:7:1 error E_SOURCE_DUPLICATE_KEY .*line 7 repeats the key of line 3/);
    assert.match(r.stderr, /people\.csv:8:1 error E_SOURCE_BLANK_KEY/);
    assert.match(r.stdout, /invalid\s+people/);
    assert.equal(p.posts(), 0, 'nothing is sent');
  });

  it('refuses a repeated key on a later run too, where the row diff finds it, in one file or across two', async () => {
    const config = importsYaml(
      '  people: { database: Leads, keyFields: [Email], source: "people-*.csv", send: changes, prune: true }',
    );
    const p = await project({
      'imports.yaml': config,
      'people-a.csv': csv(FIRST.slice(0, 50)),
      'people-b.csv': csv(FIRST.slice(50)),
    });
    const first = await p.cli(['apply']);
    assert.equal(first.exitCode, 0, first.stdout + first.stderr);
    const posts = p.posts();

    // a key repeated out of order in one file (letter case does not make it another key), one across the files
    p.write('people-a.csv', `${csv(FIRST.slice(0, 50))}P3@Example.com,Again\n`);
    p.write('people-b.csv', `${csv(FIRST.slice(50))}p10@example.com,Moved\n`);
    const r = await p.cli(['apply']);
    assert.equal(r.exitCode, 1, r.stdout + r.stderr);
    assert.match(r.stderr, /people-a\.csv:52:1 error E_SOURCE_DUPLICATE_KEY/);
    assert.match(r.stderr, /people-b\.csv:52:1 error E_SOURCE_DUPLICATE_KEY/);
    assert.match(r.stdout, /invalid\s+people/);
    assert.equal(p.posts(), posts, 'nothing is sent');
    assert.deepEqual(profiles(p), sorted(FIRST));
  });

  it('the snapshot says whether its keys are unique: checked on a first run, proven by the diff after it', async () => {
    const plain = importsYaml('  people: { database: Leads, keyFields: [Email], source: "people-*.csv" }');
    const meta = async (p: Project) =>
      (await readSnapshot(join(p.dir, '.state', 'rows', 'people.rows.gz')))?.meta.uniqueKeys;
    // a key in both files of a send: all import (a warning, not an error): the snapshot holds it twice
    const twice = await project({
      'imports.yaml': plain,
      'people-a.csv': csv(FIRST.slice(0, 10)),
      'people-b.csv': csv(FIRST.slice(9, 20)),
    });
    assert.equal((await twice.cli(['apply'])).exitCode, 0);
    assert.equal(await meta(twice), false);
    const changes = await project({ 'imports.yaml': CONFIG, 'people.csv': csv(FIRST) });
    assert.equal((await changes.cli(['apply'])).exitCode, 0);
    assert.equal(await meta(changes), true, 'checked on the first run');
    changes.write('people.csv', csv(edited()));
    assert.equal((await changes.cli(['apply'])).exitCode, 0);
    assert.equal(await meta(changes), true, 'proven by the diff');
    assert.match((await changes.cli(['plan'])).stdout, /unchanged\s+people/);
  });

  it('never prunes a blank key: a row without one was sent (a warning then) but is kept by no snapshot', async () => {
    const plain = importsYaml('  people: { database: Leads, keyFields: [Email], source: people.csv }');
    const rows: Row[] = [['', 'No mail'], ...FIRST.slice(0, 9), ['', 'No mail either']];
    const p = await project({ 'imports.yaml': plain, 'people.csv': csv(rows) });
    const first = await p.cli(['apply']);
    assert.equal(first.exitCode, 0, first.stdout + first.stderr);
    assert.match(first.stdout + first.stderr, /warning E_SOURCE_BLANK_KEY/);
    const snapshot = await readSnapshot(join(p.dir, '.state', 'rows', 'people.rows.gz'));
    assert.equal(snapshot?.meta.rows, 9, 'the two rows without a key are not in the snapshot');
    // Later the import prunes, and the data lost its blank rows and p8: only p8 may be deleted.
    p.write(
      'imports.yaml',
      importsYaml(
        '  people: { database: Leads, keyFields: [Email], source: people.csv, prune: true, safety: { maxDeleteShare: 1 } }',
      ),
    );
    p.write('people.csv', csv(FIRST.slice(0, 8)));
    const plan = await p.cli(['plan']);
    assert.match(plan.stdout, /delete 1 key /, plan.stdout);
    const r = await p.cli(['apply']);
    assert.equal(r.exitCode, 0, r.stdout + r.stderr);
    const prune = p.emulator.listImports().at(-1);
    assert.equal(prune?.action, 'delete');
    assert.equal(prune?.totallines, 1);
    assert.ok(!profiles(p).some(([email]) => email === 'p8@example.com'));
  });

  it('after an apply, a plan reads nothing again: the row-mode scan is in the hash cache as a plain one', async () => {
    const p = await project({ 'imports.yaml': CONFIG, 'people.csv': csv(FIRST) });
    const file = join(p.dir, 'people.csv');
    const old = new Date(Date.now() - 3_600_000);
    utimesSync(file, old, old); // well before the cache entry: no racy-clean doubt
    assert.equal((await p.cli(['apply'])).exitCode, 0);
    p.write('people.csv', csv(edited()));
    utimesSync(file, old, old);
    assert.equal((await p.cli(['apply'])).exitCode, 0); // a delta: the scan is in rows mode
    // Same size, same time, same file, other bytes: only a plan that reads the file again sees it.
    const same = csv(edited()).replace('Person 10\n', 'Person 1x\n');
    assert.notEqual(same, csv(edited()));
    writeFileSync(file, same);
    utimesSync(file, old, old);
    const plan = await p.cli(['plan', '--format', 'json']);
    assert.equal(plan.exitCode, 0, plan.stdout + plan.stderr);
    const event = parseNdjson(plan.stdout).find((e) => e.type === 'import' && e.name === 'people');
    assert.equal(event?.status, 'unchanged', 'served from the hash cache');
  });

  it('prunes subprofiles by a Collection.Field key, and leaves their profiles alone', async () => {
    const config = importsYaml(
      '  orders: { database: Newsletter, keyFields: [Email, Orders.OrderID], source: orders.csv, send: changes, prune: true, safety: { maxDeleteShare: 0.5 } }',
    );
    const orders = (ids: number[]) =>
      `Email,Orders.OrderID,Orders.Total\n${ids.map((id) => `ann@example.com,${id},${id}.00`).join('\n')}\n`;
    const p = await project({ 'imports.yaml': config, 'orders.csv': orders([1, 2, 3, 4]) });
    assert.equal((await p.cli(['apply'])).exitCode, 0);
    const ann = () => p.emulator.listProfiles('Newsletter').find((x) => x.fields.Email === 'ann@example.com');
    assert.equal(ann()?.subprofiles.Orders?.length, 4);
    p.write('orders.csv', orders([1, 2, 4]));
    const r = await p.cli(['apply', '--format', 'json']);
    assert.equal(r.exitCode, 0, r.stdout + r.stderr);
    const prune = p.emulator.listImports().at(-1);
    assert.equal(prune?.action, 'delete');
    assert.equal(prune?.totallines, 1);
    assert.deepEqual(
      ann()?.subprofiles.Orders?.map((o) => o.fields.OrderID),
      ['1', '2', '4'],
    );
    assert.equal(p.emulator.listProfiles('Newsletter').length, 3, 'every profile is still there');
  });

  it('sends a JSON delta as a JSON array of only the changed records', async () => {
    const config = importsYaml(
      '  people: { database: Leads, keyFields: [Email], source: people.json, send: changes }',
    );
    const json = (rows: readonly Row[]) =>
      JSON.stringify(rows.map(([Email, Name]) => ({ Email, Name: `${Name} "quoted" \\ é` })));
    const p = await project({ 'imports.yaml': config, 'people.json': json(FIRST.slice(0, 30)) });
    assert.equal((await p.cli(['apply'])).exitCode, 0);
    const rows = FIRST.slice(0, 30).map(([e, n], i): Row => [e, i === 3 || i === 17 ? `${n} moved` : n]);
    p.write('people.json', json([...rows, ['n@example.com', 'New']]));
    const r = await p.cli(['apply']);
    assert.equal(r.exitCode, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /rows \+1 ~2 −0 =28; sends 3 rows/);
    assert.equal(p.emulator.listImports().at(-1)?.totallines, 3);
    const names = new Map(p.emulator.listProfiles('Leads').map((x) => [x.fields.Email, x.fields.Name]));
    assert.equal(names.get('p3@example.com'), 'Person 3 moved "quoted" \\ é');
    assert.equal(names.get('n@example.com'), 'New "quoted" \\ é');
    assert.equal(names.size, 31);
  });

  it('sends a windows-1252 delta with the exact length, quotes and letters as Copernica should see them', async () => {
    const config = importsYaml(
      '  people: { database: Leads, keyFields: [Email], source: people.csv, send: changes, encoding: windows-1252 }',
    );
    const file = (names: string[]) =>
      Buffer.from(
        `Email,Name\r\n${names.map((n, i) => `p${i}@example.com,"${n.replaceAll('"', '""')}"`).join('\r\n')}\r\n`,
        'latin1',
      );
    const names = ['Ren\xe9e, the "first"', 'Zo\xeb', 'J\xfcrgen', 'Plain'];
    const p = await project({ 'imports.yaml': config, 'people.csv': '' });
    writeFileSync(join(p.dir, 'people.csv'), file(names));
    const first = await p.cli(['apply']);
    assert.equal(first.exitCode, 0, first.stdout + first.stderr);
    writeFileSync(join(p.dir, 'people.csv'), file([names[0] as string, 'Zo\xeb \x80 5', ...names.slice(2)]));
    const r = await p.cli(['apply']);
    assert.equal(r.exitCode, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /sends 1 row/);
    const stored = new Map(p.emulator.listProfiles('Leads').map((x) => [x.fields.Email, x.fields.Name]));
    assert.equal(stored.get('p1@example.com'), 'Zoë € 5');
    assert.equal(stored.get('p0@example.com'), 'Renée, the "first"');
    // the profiles hold what the file says: drift compares them in the file's own bytes
    const drift = await p.cli(['status', '--rows', 'people']);
    assert.equal(drift.exitCode, 0, drift.stdout + drift.stderr);
    assert.match(drift.stdout, /rows: 4 rows in the snapshot; Copernica lacks 0, holds other values for 0/);
  });

  it('status --rows names the rows Copernica holds otherwise than the snapshot says it was sent', async () => {
    const other = '  other: { database: Leads, keyFields: [Email], source: other.csv }';
    const p = await project({ 'imports.yaml': CONFIG, 'people.csv': csv(FIRST.slice(0, 20)) });
    assert.equal((await p.cli(['apply'])).exitCode, 0);
    const clean = await p.cli(['status', '--rows', 'people']);
    assert.equal(clean.exitCode, 0, clean.stdout + clean.stderr);
    assert.match(clean.stdout, /rows: 20 rows in the snapshot; Copernica lacks 0, holds other values for 0/);

    // Another import (a web form, a colleague) changes one of its profiles behind its back.
    p.write('imports.yaml', `${CONFIG}\n${other}`);
    p.write('other.csv', 'Email,Name\np5@example.com,Someone else\n');
    assert.equal((await p.cli(['apply', '--only', 'other'])).exitCode, 0);
    const drift = await p.cli(['status', '--rows', 'people']);
    assert.equal(drift.exitCode, 1, drift.stdout + drift.stderr);
    assert.match(drift.stdout, /Copernica lacks 0, holds other values for 1 \(p5@example\.com\)/);
    const json = parseNdjson((await p.cli(['status', '--rows', 'people', '--format', 'json'])).stdout);
    const row = json.find((e) => e.type === 'status' && e.name === 'people');
    assert.deepEqual(row?.drift, {
      rows: 20,
      missing: 0,
      differ: 1,
      examples: ['p5@example.com'],
      notFields: [],
    });
    const unknown = await p.cli(['status', '--rows', 'nope']);
    assert.equal(unknown.exitCode, 64, unknown.stderr);
    assert.match(unknown.stderr, /--rows names unknown import\(s\): nope/);
    const elsewhere = await p.cli(['status', '--rows', 'people', '--only', 'other']);
    assert.match(elsewhere.stdout, /people: .*\n {2}live: .*\n {2}rows: 20 rows in the snapshot/);
    p.write('.state/rows/people.rows.gz', 'not gzip');
    const damaged = await p.cli(['status', '--rows', 'people']);
    assert.equal(damaged.exitCode, 1, damaged.stderr);
    assert.match(
      damaged.stderr,
      /E_STATE_CORRUPT the row snapshot .*people\.rows\.gz is damaged\n {2}hint: delete it/,
    );
    assert.doesNotMatch(damaged.stderr, /\n\s+at /, 'no stack trace');
  });

  it('status --rows finds no drift after a JSON import, numbers and text as Copernica stores them', async () => {
    const config = importsYaml(
      '  feed: { database: Leads, keyFields: [Email], source: feed.json, send: changes }',
    );
    const records = FIRST.slice(0, 10).map(([email, name], i) => ({ Email: email, Name: name, Score: i }));
    const p = await project({ 'imports.yaml': config, 'feed.json': JSON.stringify(records) });
    assert.equal((await p.cli(['apply'])).exitCode, 0);
    const clean = await p.cli(['status', '--rows', 'feed']);
    assert.equal(clean.exitCode, 0, clean.stdout + clean.stderr);
    assert.match(clean.stdout, /rows: 10 rows in the snapshot; Copernica lacks 0, holds other values for 0/);
  });
});

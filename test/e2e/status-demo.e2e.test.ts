// `status` end to end (state, --live, json), and the `npm start` demo (`apply --emulator` in the repo root).
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { REPO_ROOT, runCliProcess } from '../helpers/cli.js';
import { importsYaml, type Project, parseNdjson, startProject } from './helpers.js';

const projects: Project[] = [];
after(async () => {
  for (const p of projects) await p.close();
});

describe('status', () => {
  it('says what the state holds, and with --live what the emulator says of each import', async () => {
    const p = await startProject({
      'imports.yaml': importsYaml(
        [
          '  people: { database: Newsletter, keyFields: [Email], source: p.csv }',
          '  later: { database: Leads, keyFields: [Email], source: p.csv }',
        ].join('\n'),
      ),
      'p.csv': 'Email,Name\nann@example.com,Annie\n',
    });
    projects.push(p);
    const before = await p.cli(['status']);
    assert.equal(before.exitCode, 0, before.stderr);
    assert.match(before.stdout, /^people: never applied$/m);

    assert.equal((await p.cli(['apply', '--only', 'people'])).exitCode, 0);
    const id = p.state().imports.people?.importId ?? '';
    assert.match(id, /^\d+$/);
    const text = await p.cli(['status']);
    assert.equal(text.exitCode, 0);
    assert.match(
      text.stdout,
      new RegExp(`^people: finished at \\S+, 1 row, fingerprint [0-9a-f]{12}, Copernica import ${id}$`, 'm'),
    );
    assert.match(text.stdout, /^later: never applied$/m);
    assert.equal(p.emulator.requests.length > 0, true);
    const requestsBefore = p.emulator.requests.length;
    const offline = await p.cli(['status'], { COPERNICA_ACCESS_TOKEN: '' });
    assert.equal(offline.exitCode, 0);
    assert.doesNotMatch(offline.stdout, /live:/);
    assert.equal(p.emulator.requests.length, requestsBefore, 'status without a token stays offline');
    const noToken = await p.cli(['status', '--live'], { COPERNICA_ACCESS_TOKEN: '' });
    assert.equal(noToken.exitCode, 78, '--live needs the token');
    assert.match(noToken.stderr, /E_TOKEN_MISSING/);

    // With the token set, status asks Copernica by itself; --live insists.
    for (const args of [['status'], ['status', '--live']]) {
      const live = await p.cli(args);
      assert.equal(live.exitCode, 0, live.stderr);
      assert.match(live.stdout, /^ {2}live: finished \(finished \d{4}-\d\d-\d\d.*1\/1 lines\)$/m);
    }

    const json = parseNdjson((await p.cli(['status', '--live', '--format', 'json'])).stdout);
    const people = json.find((e) => e.name === 'people');
    assert.equal(people?.type, 'status');
    assert.equal(people?.outcome, 'finished');
    assert.equal(people?.importId, id);
    assert.equal((people?.live as Record<string, unknown> | undefined)?.ID, id);
    assert.equal(json.find((e) => e.name === 'later')?.applied, false);
  });
});

describe('the npm start demo', () => {
  it('applies the examples to an in-process emulator and shows grown counts', async () => {
    const r = await runCliProcess(['apply', '--emulator'], {
      cwd: REPO_ROOT,
      env: { COPERNICA_ACCESS_TOKEN: '' },
    });
    assert.equal(r.exitCode, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /Apply: 4 succeeded, 0 failed, 0 unchanged\./);
    const rows = [...r.stdout.matchAll(/^\| (\w+) \| (\d+) → (\d+) \| (\d+) → (\d+) \|$/gm)];
    assert.deepEqual(
      rows.map((m) => m[1]),
      ['Newsletter', 'Leads', 'Newsletter', 'Leads'],
    );
    const [first, second] = [rows.slice(0, 2), rows.slice(2)];
    for (const m of first) assert.ok(Number(m[3]) > Number(m[2]), `${m[1]} grew`);
    // Act two: two rows edited, one added and one removed in a temp copy; only those are sent.
    assert.match(r.stdout, /rows \+1 ~2 −1 =\d+; sends 3 rows/);
    assert.match(r.stdout, /newsletter: update or add 3 rows into database 1\n/);
    assert.match(r.stdout, /newsletter: delete 1 row from database 1 \(prune/);
    assert.match(r.stdout, /Apply: 1 succeeded, 0 failed, 3 unchanged\./);
    assert.deepEqual(
      second.map((m) => m[2] === m[3]),
      [true, true],
      'one profile added and one deleted: the counts stay',
    );
  });
});

// plan({ remote: true }) against an in-process emulator: the pre-flight folded into the plan, dependents blocked.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Emulator, startEmulator } from '../../src/emulator/start-emulator.js';
import { plan } from '../../src/run/plan.js';
import { createFixtureDir } from '../helpers/cli.js';

let emulator: Emulator;
const cleanups: Array<() => void> = [];
before(async () => {
  const profiles = Array.from({ length: 12 }, (_, i) => ({ fields: { Email: `p${i}@example.com` } }));
  emulator = await startEmulator({
    port: 0,
    seed: { databases: [{ id: 1, name: 'Big', fields: ['Email'], profiles }] },
  });
});
after(async () => {
  await emulator.close();
  for (const c of cleanups) c();
});

/** The emulator's URL comes in through the environment, as the CLI gets it: nothing can reach the real API. */
const env = () => ({ COPERNICA_API_URL: emulator.url, COPERNICA_ACCESS_TOKEN: emulator.token });

function project(imports: string, files: Record<string, string>): string {
  const fixture = createFixtureDir({
    'imports.yaml': `version: 1\ncopernica: { retry: { attempts: 1 } }\nstate: s.json\nimports:\n${imports}\n`,
    ...files,
  });
  cleanups.push(fixture.cleanup);
  return fixture.dir;
}

const CSV = 'Email\np0@example.com\n';

describe('plan with the pre-flight (remote)', () => {
  it('marks an unknown database invalid and skips what depends on it', async () => {
    const cwd = project(
      [
        '  a: { database: Nope, keyFields: [Email], source: a.csv }',
        '  b: { database: Big, keyFields: [Email], source: a.csv, dependsOn: [a] }',
        '  c: { database: Big, keyFields: [Email], source: a.csv }',
      ].join('\n'),
      { 'a.csv': CSV },
    );
    const offline = await plan({ cwd, env: env() });
    const remote = await plan({ cwd, env: env(), remote: true });
    const byName = new Map(remote.imports.map((p) => [p.name, p]));
    assert.equal(byName.get('a')?.status, 'invalid');
    assert.deepEqual(byName.get('b')?.blockedBy, ['a']);
    assert.equal(byName.get('b')?.willRun, false);
    assert.equal(byName.get('c')?.willRun, true);
    assert.equal(byName.get('c')?.databaseId, 1);
    assert.equal(remote.summary.invalid, 1);
    assert.equal(remote.summary.toRun, 1);
    assert.notEqual(remote.hash, offline.hash);
    assert.ok(remote.diagnostics.some((d) => d.code === 'E_REMOTE_DATABASE' && d.importName === 'a'));
  });

  it('refuses the delete share, or with allowDestructive runs it and says which guard it passed', async () => {
    const cwd = project('  m: { database: Big, keyFields: [Email], source: a.csv, removeMissing: true }', {
      'a.csv': CSV,
    });
    const refused = await plan({ cwd, env: env(), remote: true });
    const item = refused.imports[0];
    assert.equal(item?.status, 'refused');
    assert.match(item?.reasons[0] ?? '', /^E_GUARD_DELETE_SHARE: /);
    assert.ok(refused.diagnostics.some((d) => d.code === 'E_GUARD_DELETE_SHARE' && d.severity === 'error'));
    const passed = await plan({ cwd, env: env(), remote: true, allowDestructive: true });
    assert.equal(passed.imports[0]?.willRun, true);
    assert.match(
      passed.imports[0]?.reasons[0] ?? '',
      /^passed by --allow-destructive: E_GUARD_DELETE_SHARE: /,
    );
    assert.equal(passed.imports[0]?.overridden[0]?.code, 'E_GUARD_DELETE_SHARE');
  });

  it('needs no request when nothing would run', async () => {
    const cwd = project('  m: { database: Big, keyFields: [Email], source: a.csv }', {
      'a.csv': 'Mail\nx\n',
    });
    const seen = emulator.requests.length;
    const remote = await plan({ cwd, env: env(), remote: true });
    assert.equal(emulator.requests.length, seen);
    assert.equal(remote.imports[0]?.status, 'invalid');
  });
});

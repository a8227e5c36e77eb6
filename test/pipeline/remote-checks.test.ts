// checkRemote against an in-process emulator: findings folded into the plan, dependents blocked, clients closed.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CopernicaClient } from '../../src/copernica/client.js';
import { type Emulator, startEmulator } from '../../src/emulator/start-emulator.js';
import { type PreparedPlan, preparePlan } from '../../src/pipeline/prepare-plan.js';
import { checkRemote } from '../../src/pipeline/remote-checks.js';
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

async function prepare(imports: string, files: Record<string, string>): Promise<PreparedPlan> {
  const fixture = createFixtureDir({
    'imports.yaml': `version: 1\ncopernica: { retry: { attempts: 1 } }\nstate: s.json\nimports:\n${imports}\n`,
    ...files,
  });
  cleanups.push(fixture.cleanup);
  return preparePlan({
    configPath: 'imports.yaml',
    cwd: fixture.dir,
    env: env(),
    force: false,
    allowDestructive: false,
    allowOutside: false,
    now: Date.now,
  });
}

const CSV = 'Email\np0@example.com\n';

describe('checkRemote', () => {
  it('marks an unknown database invalid and skips what depends on it', async () => {
    const prepared = await prepare(
      [
        '  a: { database: Nope, keyFields: [Email], source: a.csv }',
        '  b: { database: Big, keyFields: [Email], source: a.csv, dependsOn: [a] }',
        '  c: { database: Big, keyFields: [Email], source: a.csv }',
      ].join('\n'),
      { 'a.csv': CSV },
    );
    const remote = await checkRemote(prepared, { env: env(), allowDestructive: false });
    await remote.client.close();
    const byName = new Map(remote.plan.imports.map((p) => [p.name, p]));
    assert.equal(byName.get('a')?.status, 'invalid');
    assert.deepEqual(byName.get('b')?.blockedBy, ['a']);
    assert.equal(byName.get('b')?.willRun, false);
    assert.equal(byName.get('c')?.willRun, true);
    assert.equal(remote.plan.summary.invalid, 1);
    assert.equal(remote.plan.summary.toRun, 1);
    assert.notEqual(remote.plan.hash, prepared.plan.hash);
    assert.equal(remote.databaseIds.get('c'), 1);
  });

  it('refuses the delete share, or with allowDestructive runs it and says which guard it passed', async () => {
    const prepared = await prepare(
      '  m: { database: Big, keyFields: [Email], source: a.csv, removeMissing: true }',
      {
        'a.csv': CSV,
      },
    );
    const refused = await checkRemote(prepared, { env: env(), allowDestructive: false });
    await refused.client.close();
    const item = refused.plan.imports[0];
    assert.equal(item?.status, 'refused');
    assert.match(item?.reasons[0] ?? '', /^E_GUARD_DELETE_SHARE: /);
    const passed = await checkRemote(prepared, { env: env(), allowDestructive: true });
    await passed.client.close();
    assert.equal(passed.plan.imports[0]?.willRun, true);
    assert.match(
      passed.plan.imports[0]?.reasons[0] ?? '',
      /^passed by --allow-destructive: E_GUARD_DELETE_SHARE: /,
    );
    assert.equal(passed.plan.imports[0]?.overridden[0]?.code, 'E_GUARD_DELETE_SHARE');
  });

  it('leaves a client it was given open when the pre-flight fails; the caller closes it', async () => {
    const prepared = await prepare('  m: { database: Big, keyFields: [Email], source: a.csv }', {
      'a.csv': CSV,
    });
    let closed = 0;
    const failing = {
      listDatabases: () => Promise.reject(new Error('network down')),
      close: async () => {
        closed++;
      },
    } as unknown as CopernicaClient;
    await assert.rejects(
      checkRemote(prepared, { env: env(), allowDestructive: false, client: failing }),
      /network down/,
    );
    assert.equal(closed, 0);
  });

  it('needs no request when nothing would run', async () => {
    const prepared = await prepare('  m: { database: Big, keyFields: [Email], source: a.csv }', {
      'a.csv': 'Mail\nx\n',
    });
    const seen = emulator.requests.length;
    const remote = await checkRemote(prepared, { env: env(), allowDestructive: false });
    await remote.client.close();
    assert.equal(emulator.requests.length, seen);
    assert.equal(remote.plan.imports[0]?.status, 'invalid');
  });
});

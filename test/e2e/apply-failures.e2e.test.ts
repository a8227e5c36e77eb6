// `apply` when things go wrong: guards, tokens, the emulator's faults, v4 auth, and a held lock.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { describe, it } from 'node:test';
import { execa } from 'execa';
import { CLI_PATH } from '../helpers/cli.js';
import { importsYaml, planHashOf, profilesByEmail, seedWithProfiles, useProjects } from './helpers.js';

const project = useProjects();

const CSV = 'Email,Name\nann@example.com,Annie\ndan@example.com,Dan\n';
const ONE = importsYaml('  people: { database: Newsletter, keyFields: [Email], source: p.csv }');

describe('apply refuses', () => {
  it('a removeMissing that would delete most of a live database (exit 3, nothing sent) unless --allow-destructive', async () => {
    const p = await project(
      {
        'imports.yaml': importsYaml(
          '  big: { database: Big, keyFields: [Email], source: b.csv, removeMissing: true }',
        ),
        'b.csv': 'Email,Name\np0@example.com,P0\np1@example.com,P1\n',
      },
      { seed: seedWithProfiles(10) },
    );
    const refused = await p.cli(['apply']);
    assert.equal(refused.exitCode, 3, refused.stdout);
    assert.match(refused.stdout, /refused\s+big\s+E_GUARD_DELETE_SHARE: removeMissing/);
    assert.equal(p.posts(), 0);
    assert.equal(p.state().imports.big, undefined);
    // The hash `plan --remote` prints (its pre-flight folded in) is accepted as the reviewed plan.
    const reviewed = await p.cli(['plan', '--remote', '--allow-destructive']);
    const hash = planHashOf(reviewed.stdout);
    const offline = await p.cli(['plan', '--allow-destructive']);
    assert.notEqual(
      hash,
      /Plan hash ([0-9a-f]{64})/.exec(offline.stdout)?.[1],
      'the pre-flight changed the plan',
    );
    const passed = await p.cli(['apply', '--allow-destructive', '--plan-hash', hash]);
    assert.equal(passed.exitCode, 0, passed.stdout);
    assert.match(
      passed.stdout,
      /new\s+big\s+passed by --allow-destructive: E_GUARD_DELETE_SHARE: removeMissing/,
      'the reason is printed either way',
    );
    assert.equal(p.emulator.listProfiles('Big').length, 2);
  });

  it('without the token: exit 78 naming the variable, and no request', async () => {
    const p = await project({
      'imports.yaml': importsYaml(
        '  people: { database: Newsletter, keyFields: [Email], source: p.csv }',
        '  tokenEnv: MY_TOKEN',
      ),
      'p.csv': CSV,
    });
    const r = await p.cli(['apply']);
    assert.equal(r.exitCode, 78, r.stderr);
    assert.match(r.stderr, /E_TOKEN_MISSING the environment variable MY_TOKEN is not set/);
    assert.equal(p.emulator.requests.length, 0);
  });

  it('with a bad token: exit 1 E_API_AUTH, and the token is nowhere in the output or the state', async () => {
    const p = await project({ 'imports.yaml': ONE, 'p.csv': CSV });
    const secret = 'sentinel-token-5f1d2c';
    for (const format of ['text', 'json', 'github']) {
      const r = await p.cli(['apply', '--format', format, '--verbose'], { COPERNICA_ACCESS_TOKEN: secret });
      assert.equal(r.exitCode, 1, r.stderr);
      assert.match(r.stdout + r.stderr, /E_API_AUTH/);
      const shown = format === 'github' ? r.stdout.replace(`::add-mask::${secret}`, '') : r.stdout;
      if (format === 'github') assert.ok(r.stdout.startsWith(`::add-mask::${secret}`));
      assert.ok(!`${shown}${r.stderr}`.includes(secret), `${format}: the token leaked`);
    }
    assert.ok(!readFileSync(p.statePath, 'utf8').includes(secret));
  });
});

describe('apply through faults', () => {
  it('retries a 503 with an HTML body twice, then succeeds', async () => {
    const p = await project({ 'imports.yaml': ONE, 'p.csv': CSV });
    p.emulator.faults.next(2, 'html-503', { method: 'POST', path: '/imports' });
    const r = await p.cli(['apply', '--verbose']);
    assert.equal(r.exitCode, 0, r.stdout + r.stderr);
    assert.equal(p.posts(), 3);
    assert.equal(p.emulator.listImports().length, 1);
    assert.equal(p.state().imports.people?.outcome, 'finished');
  });

  it('an `add` whose answer is lost is not re-sent: exit 1, "may or may not have been imported", state unknown', async () => {
    const p = await project({
      'imports.yaml': importsYaml('  adds: { database: Leads, action: add, source: a.csv }'),
      'a.csv': CSV,
    });
    p.emulator.faults.next(1, 'drop-after-body', { method: 'POST', path: '/imports' });
    const r = await p.cli(['apply', '--verbose']);
    assert.equal(r.exitCode, 1, r.stdout);
    assert.match(r.stdout, /may or may not have been imported/);
    assert.equal(p.posts(), 1, 'not retried');
    assert.equal(p.emulator.listImports().length, 1, 'the emulator did run it');
    const entry = p.state().imports.adds;
    assert.equal(entry?.outcome, 'unknown');
    // An `add` with an unknown outcome is refused until a person checks Copernica and passes --force.
    const plan = await p.cli(['plan']);
    assert.equal(plan.exitCode, 3, plan.stdout);
    assert.match(plan.stdout, /refused\s+adds\s+E_GUARD_UNKNOWN_OUTCOME/);
    const again = await p.cli(['apply']);
    assert.equal(again.exitCode, 3, again.stdout);
    assert.equal(p.posts(), 1, 'a refused add is not sent');
    const forced = await p.cli(['apply', '--force']);
    assert.equal(forced.exitCode, 0, forced.stdout + forced.stderr);
    assert.equal(p.posts(), 2, '--force sends it again');
  });
});

describe('apply with API v4 and a held lock', () => {
  it('authenticates with a JWT from COPERNICA_AUTH_URL', async () => {
    const p = await project({
      'imports.yaml': importsYaml(
        '  people: { database: Newsletter, keyFields: [Email], source: p.csv }',
        '  apiVersion: 4',
      ),
      'p.csv': CSV,
    });
    const r = await p.cli(['apply', '--verbose'], { COPERNICA_AUTH_URL: p.emulator.authUrl });
    assert.equal(r.exitCode, 0, r.stdout + r.stderr);
    assert.equal(
      p.emulator.requests.filter((q) => q.path === '/authenticate').length,
      1,
      'one JWT for the run',
    );
    assert.ok(p.emulator.requests.some((q) => q.path === '/v4/imports'));
    assert.equal(profilesByEmail(p.emulator, 'Newsletter').get('ann@example.com')?.Name, 'Annie');
  });

  it('stops with E_STATE_LOCKED while a live process holds the lock', async () => {
    const p = await project({ 'imports.yaml': ONE, 'p.csv': CSV });
    mkdirSync(dirname(p.statePath), { recursive: true });
    const holder = {
      pid: process.pid,
      host: hostname(),
      startedAt: new Date().toISOString(),
      command: 'apply',
    };
    writeFileSync(`${p.statePath}.lock`, `${JSON.stringify(holder)}\n`);
    const r = await p.cli(['apply']);
    assert.equal(r.exitCode, 1, r.stderr);
    assert.match(r.stderr, new RegExp(`E_STATE_LOCKED.*${process.pid}`));
    assert.equal(p.emulator.requests.length, 0);
  });
});

describe('apply interrupted', () => {
  it('SIGINT while waiting: exit 130, the import recorded as submitted, the lock released', async () => {
    const p = await project({ 'imports.yaml': ONE, 'p.csv': CSV }, { importDelayMs: 20_000 });
    const child = execa(process.execPath, [CLI_PATH, 'apply'], {
      cwd: p.dir,
      env: { NO_COLOR: '1', COPERNICA_API_URL: p.emulator.url, COPERNICA_ACCESS_TOKEN: p.emulator.token },
      reject: false,
      timeout: 15_000,
    });
    let out = '';
    await new Promise<void>((resolve, reject) => {
      child.stdout?.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('created Copernica import')) resolve();
      });
      child.once('exit', () => reject(new Error(`exited before the import was created: ${out}`)));
    });
    child.kill('SIGINT');
    const result = await child;
    assert.equal(result.exitCode, 130, String(result.stdout) + String(result.stderr));
    const entry = p.state().imports.people;
    assert.equal(entry?.outcome, 'submitted');
    assert.match(entry?.importId ?? '', /^\d+$/);
    assert.equal(existsSync(`${p.statePath}.lock`), false);
  });
});

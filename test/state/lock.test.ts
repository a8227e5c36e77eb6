import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CopernicaSyncError } from '../../src/core/errors.js';
import { acquireLock } from '../../src/state/lock.js';

/** A pid that certainly belonged to a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
    encoding: 'utf8',
  });
  return Number(child.stdout);
}

const isLocked = (pattern: RegExp) => (error: unknown) =>
  error instanceof CopernicaSyncError &&
  error.code === 'E_STATE_LOCKED' &&
  pattern.test(error.message) &&
  Boolean(error.hint);

describe('state lock', () => {
  let dir: string;
  let n = 0;
  const statePath = () => join(dir, `state-${++n}.json`);
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'copernica-sync-lock-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes <state>.lock with pid, host, start time and command, mode 0600', async () => {
    const path = statePath();
    const now = () => new Date('2026-03-04T05:06:07.000Z');
    const lock = await acquireLock(path, { command: 'apply', now });
    const holder = JSON.parse(await readFile(`${path}.lock`, 'utf8'));
    assert.deepEqual(holder, {
      pid: process.pid,
      host: hostname(),
      startedAt: '2026-03-04T05:06:07.000Z',
      command: 'apply',
    });
    assert.equal((await stat(`${path}.lock`)).mode & 0o777, 0o600);
    await lock.release();
    await assert.rejects(stat(`${path}.lock`), /ENOENT/);
    await lock.release();
  });

  it('is exclusive: a second run fails with E_STATE_LOCKED naming the holder, until released', async () => {
    const path = statePath();
    const lock = await acquireLock(path, { command: 'watch' });
    await assert.rejects(
      acquireLock(path, { command: 'apply' }),
      isLocked(new RegExp(`pid ${process.pid} on ${hostname()}.*watch.*since`)),
    );
    await lock.release();
    const again = await acquireLock(path, { command: 'apply' });
    await again.release();
  });

  it('lets exactly one of many concurrent runs win', async () => {
    const path = statePath();
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, () => acquireLock(path, { command: 'apply' })),
    );
    const won = results.filter((r) => r.status === 'fulfilled');
    assert.equal(won.length, 1);
    for (const r of results) if (r.status === 'rejected') assert.ok(isLocked(/locked/)(r.reason));
    await (won[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof acquireLock>>>).value.release();
  });

  it('takes over a lock whose process is gone, with a warning naming the old holder', async () => {
    const path = statePath();
    const pid = deadPid();
    await writeFile(
      `${path}.lock`,
      JSON.stringify({ pid, host: hostname(), startedAt: 'yesterday', command: 'apply' }),
    );
    const warnings: string[] = [];
    const lock = await acquireLock(path, { command: 'plan', onWarning: (m) => warnings.push(m) });
    assert.equal(warnings.length, 1);
    assert.match(warnings[0] ?? '', new RegExp(`pid ${pid} on ${hostname()}.*yesterday`));
    assert.equal(JSON.parse(await readFile(`${path}.lock`, 'utf8')).pid, process.pid);
    await lock.release();
    assert.deepEqual(
      (await readdir(dir)).filter((f) => f.startsWith(`state-${n}`)),
      [],
    );
  });

  it('refuses when the holder is alive, naming pid, host and since', async () => {
    const path = statePath();
    const holder = {
      pid: process.pid,
      host: hostname(),
      startedAt: '2026-01-01T00:00:00Z',
      command: 'watch',
    };
    await writeFile(`${path}.lock`, JSON.stringify(holder));
    await assert.rejects(
      acquireLock(path, { command: 'apply' }),
      isLocked(new RegExp(`pid ${process.pid} on ${hostname()}.*since 2026-01-01T00:00:00Z`)),
    );
  });

  it('refuses a lock held on another host, whose process it cannot check', async () => {
    const path = statePath();
    const holder = {
      pid: deadPid(),
      host: 'ci-runner-7',
      startedAt: '2026-01-01T00:00:00Z',
      command: 'apply',
    };
    await writeFile(`${path}.lock`, JSON.stringify(holder));
    await assert.rejects(acquireLock(path, { command: 'apply' }), (error: unknown) => {
      assert.ok(isLocked(/ci-runner-7/)(error));
      assert.match((error as CopernicaSyncError).hint ?? '', /ci-runner-7/);
      return true;
    });
  });

  it('takes over a corrupt lock file with a warning', async () => {
    const path = statePath();
    await writeFile(`${path}.lock`, '{"pid": ');
    const warnings: string[] = [];
    const lock = await acquireLock(path, { command: 'apply', onWarning: (m) => warnings.push(m) });
    assert.match(warnings[0] ?? '', /corrupt lock/);
    await lock.release();
  });

  it('fails with E_STATE_LOCK naming the path and the reason when the lock cannot be written', async () => {
    const blocker = join(dir, 'a-file');
    await writeFile(blocker, 'x');
    await assert.rejects(
      acquireLock(join(blocker, 'state.json'), { command: 'apply' }),
      (error: unknown) =>
        error instanceof CopernicaSyncError &&
        error.code === 'E_STATE_LOCK' &&
        error.message.includes(join(blocker, 'state.json.lock')) &&
        /a file is in the way \(EEXIST\)$/.test(error.message) &&
        /--state/.test(error.hint ?? ''),
    );
  });

  it('release leaves a lock that is no longer its own', async () => {
    const path = statePath();
    const lock = await acquireLock(path, { command: 'apply' });
    const other = JSON.stringify({ pid: 1, host: 'x', startedAt: 'now', command: 'apply' });
    await writeFile(`${path}.lock`, other);
    await lock.release();
    assert.equal(await readFile(`${path}.lock`, 'utf8'), other);
  });
});

// Issue #13, a command source's children: a timeout or Ctrl-C ends the whole group, and no process is left behind.
import assert from 'node:assert/strict';
import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { execa } from 'execa';
import { EXIT } from '../../src/core/exit-codes.js';
import { KILL_GRACE_MS } from '../../src/sources/process-group.js';
import { CLI_PATH } from '../helpers/cli.js';
import { isProcessRunning, readPid, waitForPidFile, waitUntilGone } from '../helpers/processes.js';
import { importsYaml, type Project, useProjects } from './helpers.js';

const project = useProjects();

/** The script of the issue: it starts a long-running child and waits for it. */
const EXPORT_SH =
  '#!/bin/sh\necho $$ > leader.pid\necho "export: connecting" >&2\nsleep 300 &\necho $! > child.pid\nwait\n';

async function exportProject(timeout: string): Promise<Project> {
  const p = await project({
    'imports.yaml': importsYaml(
      `  orders: { database: Newsletter, keyFields: [Email], command: ["sh", "-c", "./export.sh"], timeout: ${timeout} }`,
    ),
    'export.sh': EXPORT_SH,
  });
  chmodSync(join(p.dir, 'export.sh'), 0o755);
  return p;
}

describe('command source timeout and interrupt (issue #13)', () => {
  it('plan: the timeout ends the script and its child, names the timeout and the stderr tail', async () => {
    const p = await exportProject('2s');
    const started = Date.now();
    const r = await p.cli(['plan']);
    const elapsed = Date.now() - started;
    assert.equal(r.exitCode, EXIT.failure, r.stderr);
    assert.match(r.stderr, /imports\.yaml:\d+:\d+ error E_SOURCE_COMMAND/);
    assert.match(r.stderr, /timed out after 2s/);
    assert.match(r.stderr, /export: connecting/);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    for (const file of ['leader.pid', 'child.pid']) {
      const pid = readPid(join(p.dir, file));
      assert.ok(pid, `${file} written`);
      assert.equal(await waitUntilGone(pid), true, `${file}'s process is gone`);
    }
    // Start-up, the 2 s timeout, and the grace period at most: not the 300 s of the child.
    assert.ok(elapsed < 2000 + KILL_GRACE_MS + 5000, `plan took ${elapsed} ms`);
    assert.equal(p.posts(), 0);
  });

  it('plan: SIGINT while the command runs exits 130 and leaves no process behind', async () => {
    const p = await exportProject('5m');
    const cli = execa(process.execPath, [CLI_PATH, 'plan'], {
      cwd: p.dir,
      env: { NO_COLOR: '1', COPERNICA_API_URL: p.emulator.url, COPERNICA_ACCESS_TOKEN: p.emulator.token },
      reject: false,
      stdin: 'ignore',
      timeout: 30_000,
    });
    const child = await waitForPidFile(join(p.dir, 'child.pid'));
    const leader = readPid(join(p.dir, 'leader.pid')) ?? 0;
    assert.equal(isProcessRunning(child), true, 'the child runs while plan waits');
    cli.kill('SIGINT');
    const r = await cli;
    assert.equal(r.exitCode, EXIT.interrupted, String(r.stderr));
    assert.equal(await waitUntilGone(leader), true, 'the script is gone');
    assert.equal(await waitUntilGone(child), true, 'its child is gone');
    assert.equal(p.posts(), 0);
  });
});

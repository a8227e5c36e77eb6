// A command source's processes end together: on timeout, on interrupt, and when the command exits leaving some behind.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { ImportDefinition } from '../../src/config/types.js';
import { KILL_GRACE_MS, trackProcessGroup } from '../../src/sources/process-group.js';
import { disposeSources, resolveSource } from '../../src/sources/resolve-source.js';
import { streamSourceText } from '../../src/sources/stream-source-text.js';
import { createFixtureDir } from '../helpers/cli.js';
import { isProcessRunning, waitForPidFile, waitUntilGone } from '../helpers/processes.js';
import { createDefinition } from './scan-helpers.js';

// Each script starts a long-running child that inherits stderr, records its pid in $1, and waits for it.
const fixture = createFixtureDir({
  'hang.sh': 'echo "exporting" >&2\nsleep 300 &\necho $! > "$1"\nwait\n',
  'leave-behind.sh': 'sleep 300 &\necho $! > "$1"\nprintf "Email\\nann@x.nl\\n"\n',
  'stubborn.sh': 'trap "" TERM\nsleep 300 &\necho $! > "$1"\nwait\n',
  'marker.sh': 'echo started > "$1"\nprintf "Email\\n"\n',
});
after(() => fixture.cleanup());

function shDef(script: string, pidFile: string, timeoutMs: number): ImportDefinition {
  return createDefinition({ source: { kind: 'command', argv: ['sh', script, pidFile], timeoutMs } });
}

const ctx = (signal?: AbortSignal) => ({
  configDir: fixture.dir,
  displayDir: fixture.dir,
  cache: {},
  nowMs: Date.now(),
  allowOutside: false,
  ...(signal ? { signal } : {}),
});

describe('command sources end their whole process group', () => {
  it('a timeout ends the command and the child it started, and says so with the stderr tail', async () => {
    const started = Date.now();
    const source = await resolveSource(shDef('hang.sh', 'timeout.pid', 1000), ctx());
    await disposeSources([source]);
    const elapsed = Date.now() - started;
    assert.deepEqual(
      source.diagnostics.map((d) => d.code),
      ['E_SOURCE_COMMAND'],
    );
    const message = source.diagnostics[0]?.message ?? '';
    assert.match(message, /timed out after 1s/);
    assert.match(message, /exporting$/);
    const child = await waitForPidFile(join(fixture.dir, 'timeout.pid'));
    assert.equal(isProcessRunning(child), false, 'the background sleep is gone');
    assert.ok(elapsed < 1000 + KILL_GRACE_MS, `ended ${elapsed} ms after start`);
  });

  it('a command that exits leaving a process behind does not wait for it, and keeps its output', async () => {
    const source = await resolveSource(shDef('leave-behind.sh', 'left.pid', 120_000), ctx());
    let text = '';
    for await (const chunk of streamSourceText(source)) text += chunk;
    await disposeSources([source]);
    assert.deepEqual(source.diagnostics, []);
    assert.equal(text, 'Email\nann@x.nl\n');
    const child = await waitForPidFile(join(fixture.dir, 'left.pid'));
    assert.equal(await waitUntilGone(child), true, 'the left-behind sleep was ended');
  });

  it('an abort (the tool interrupted) ends the group and reports the interruption', async () => {
    const controller = new AbortController();
    const pidFile = join(fixture.dir, 'abort.pid');
    const running = resolveSource(shDef('hang.sh', 'abort.pid', 120_000), ctx(controller.signal));
    const child = await waitForPidFile(pidFile);
    controller.abort();
    const source = await running;
    await disposeSources([source]);
    assert.deepEqual(
      source.diagnostics.map((d) => d.code),
      ['E_SOURCE_COMMAND'],
    );
    assert.match(source.diagnostics[0]?.message ?? '', /interrupted/);
    assert.equal(isProcessRunning(child), false);
  });

  it('does not start the command when the run is already interrupted', async () => {
    const controller = new AbortController();
    controller.abort();
    const source = await resolveSource(shDef('marker.sh', 'marker.txt', 10_000), ctx(controller.signal));
    await disposeSources([source]);
    assert.deepEqual(
      source.diagnostics.map((d) => d.code),
      ['E_SOURCE_COMMAND'],
    );
    assert.equal(existsSync(join(fixture.dir, 'marker.txt')), false);
  });
});

describe('trackProcessGroup', () => {
  it('sends SIGKILL after the grace period to processes that ignore SIGTERM', async () => {
    const pidFile = join(fixture.dir, 'stubborn.pid');
    const leader = spawn('sh', ['stubborn.sh', pidFile], {
      cwd: fixture.dir,
      detached: true,
      stdio: 'ignore',
    });
    const exited = new Promise((resolve) => leader.once('exit', resolve));
    const child = await waitForPidFile(pidFile);
    const group = trackProcessGroup(leader.pid ?? 0, 100);
    group.end();
    await exited;
    assert.equal(await waitUntilGone(child), true);
    group.settle();
  });

  it('ending a group that is already gone is harmless', async () => {
    const leader = spawn('sh', ['-c', 'exit 0'], { detached: true, stdio: 'ignore' });
    await new Promise((resolve) => leader.once('exit', resolve));
    const group = trackProcessGroup(leader.pid ?? 0, 100);
    group.end();
    group.settle();
  });
});

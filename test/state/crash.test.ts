import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { isStateTempFile, loadState, removeStaleTempFiles } from '../../src/state/state-store.js';

const CHILD = fileURLToPath(new URL('./save-loop-child.js', import.meta.url));
const WAIT_MS = 20_000;

/** Resolves with the last save count the child reported once it reaches `saves`; rejects after WAIT_MS. */
function waitForSaves(child: ChildProcess, saves: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let last = 0;
    let buffer = '';
    const timer = setTimeout(() => reject(new Error(`child reported only ${last} saves`)), WAIT_MS);
    child.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      for (const match of buffer.matchAll(/saved (\d+)\n/g)) last = Number(match[1]);
      buffer = buffer.slice(buffer.lastIndexOf('\n') + 1);
      if (last >= saves) {
        clearTimeout(timer);
        resolve(last);
      }
    });
    child.once('exit', (code) => reject(new Error(`child exited early with ${code}`)));
  });
}

function kill(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

describe('state file survives a crash mid-write', () => {
  let dir: string;
  const children: ChildProcess[] = [];
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'copernica-sync-crash-'));
  });
  after(async () => {
    await Promise.all(children.map(kill));
    await rm(dir, { recursive: true, force: true });
  });

  for (const saves of [1, 3, 10, 25, 60]) {
    it(`parses after SIGKILL once ${saves} save(s) were reported`, async () => {
      const path = join(dir, `state-${saves}`, 'state.json');
      const child = spawn(process.execPath, [CHILD, path], { stdio: ['ignore', 'pipe', 'inherit'] });
      children.push(child);
      const reported = await waitForSaves(child, saves);
      await kill(child);
      const state = await loadState(path);
      const count = Object.keys(state.imports).length;
      // Every reported save is durable; at most one more may have landed before the kill.
      assert.ok(count >= reported, `state has ${count} imports, child reported ${reported}`);
      const others = (await readdir(join(dir, `state-${saves}`))).filter((name) => name !== 'state.json');
      for (const name of others) assert.ok(isStateTempFile(path, name), `${name} is a temp file`);
      assert.ok(others.length <= 1, 'at most the one interrupted temp file is left');
      assert.deepEqual(await removeStaleTempFiles(path), others);
      assert.deepEqual(await readdir(join(dir, `state-${saves}`)), ['state.json']);
    });
  }
});

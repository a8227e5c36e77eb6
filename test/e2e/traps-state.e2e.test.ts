// Issue #13, an unwritable state location: the error names the path and the OS reason, with no stack and no request.
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { EXIT } from '../../src/core/exit-codes.js';
import { importsYaml, useProjects } from './helpers.js';

const project = useProjects();

const FILES = {
  'imports.yaml': importsYaml(
    '  people: { database: Newsletter, keyFields: [Email], source: data/people.csv }',
  ),
  'data/people.csv': 'Email,Name\nann@example.com,Ann\n',
};

/** Whether chmod 0555 stops this user writing (it does not stop root). */
function readOnlyDirectoriesWork(): boolean {
  const dir = mkdtempSync(join(tmpdir(), 'copernica-sync-ro-'));
  chmodSync(dir, 0o555);
  try {
    writeFileSync(join(dir, 'probe'), '');
    return false;
  } catch {
    return true;
  } finally {
    chmodSync(dir, 0o755);
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('an unwritable state location (issue #13)', () => {
  it('apply: exit 1, E_STATE_LOCK with the path and the reason, no stack trace, no request', async () => {
    const p = await project({ ...FILES, '.state/keep': '', blocker: 'a file, not a directory\n' });
    const stateDir = join(p.dir, '.state');
    // chmod 0555 as the issue describes; for root (which it does not stop), a path through a regular file.
    const chmodWorks = readOnlyDirectoriesWork();
    const args = chmodWorks ? ['apply'] : ['apply', '--state', 'blocker/sub/state.json'];
    const lockDir = chmodWorks ? stateDir : join(p.dir, 'blocker', 'sub');
    chmodSync(stateDir, 0o555);
    try {
      const r = await p.cli(args);
      assert.equal(r.exitCode, EXIT.failure, r.stderr);
      assert.match(r.stderr, /error E_STATE_LOCK cannot take the lock /);
      assert.ok(r.stderr.includes(join(lockDir, 'state.json.lock')), r.stderr);
      assert.match(r.stderr, chmodWorks ? /permission denied \(EACCES\)/ : /not a directory \(ENOTDIR\)/);
      assert.match(r.stderr, /hint: .*--state/);
      assert.doesNotMatch(r.stderr, /\n\s+at |E_INTERNAL/, 'no stack trace');
      assert.deepEqual(p.emulator.requests, [], 'no request sent');
    } finally {
      chmodSync(stateDir, 0o755);
    }
  });

  it('apply: a state path that is a directory is E_STATE_READ with the reason, and nothing is sent', async () => {
    const p = await project({ ...FILES, '.state/state.json/keep': '' });
    const r = await p.cli(['apply']);
    assert.equal(r.exitCode, EXIT.failure, r.stderr);
    assert.match(
      r.stderr,
      /error E_STATE_READ cannot read the state file .*state\.json: it is a directory \(EISDIR\)/,
    );
    assert.doesNotMatch(r.stderr, /\n\s+at |E_INTERNAL/);
    assert.deepEqual(p.emulator.requests, []);
  });
});

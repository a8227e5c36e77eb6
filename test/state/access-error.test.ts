// Permission problems on the state path name the path, the OS reason in words, and a way out.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EXIT } from '../../src/core/exit-codes.js';
import { describeFsError, stateAccessError } from '../../src/state/access-error.js';

/** An error as node:fs throws it. */
function fsError(code: string, syscall: string, path: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: ${syscall} '${path}'`), { code, syscall, path, errno: -13 });
}

describe('stateAccessError', () => {
  it('EACCES creating the lock: the lock path, "permission denied", and both ways out', () => {
    const lock = '/srv/sync/.state/state.json.lock';
    const error = stateAccessError(
      'E_STATE_LOCK',
      'cannot take the lock',
      lock,
      fsError('EACCES', 'open', `${lock}.1.ab.new`),
    );
    assert.equal(error.code, 'E_STATE_LOCK');
    assert.equal(error.exitCode, EXIT.failure);
    assert.match(
      error.message,
      /^cannot take the lock \/srv\/sync\/\.state\/state\.json\.lock: permission denied \(EACCES\)$/,
    );
    assert.match(error.hint ?? '', /make \/srv\/sync\/\.state writable/);
    assert.match(error.hint ?? '', /`state:`/);
    assert.match(error.hint ?? '', /--state/);
  });

  it('EPERM creating the state directory names the directory', () => {
    const error = stateAccessError(
      'E_STATE_WRITE',
      'cannot write the state file',
      '/srv/sync/.state/state.json',
      fsError('EPERM', 'mkdir', '/srv/sync/.state'),
    );
    assert.equal(error.code, 'E_STATE_WRITE');
    assert.match(
      error.message,
      /cannot create the directory \/srv\/sync\/\.state: operation not permitted \(EPERM\)$/,
    );
    assert.match(error.hint ?? '', /make \/srv\/sync writable/);
  });

  it('EROFS on the rename, and EACCES reading an unreadable state file', () => {
    const path = '/ro/state.json';
    const write = stateAccessError(
      'E_STATE_WRITE',
      'cannot write the state file',
      path,
      fsError('EROFS', 'rename', path),
    );
    assert.match(
      write.message,
      /^cannot write the state file \/ro\/state\.json: read-only file system \(EROFS\)$/,
    );
    const read = stateAccessError(
      'E_STATE_READ',
      'cannot read the state file',
      path,
      fsError('EACCES', 'open', path),
    );
    assert.equal(read.code, 'E_STATE_READ');
    assert.match(read.message, /permission denied \(EACCES\)$/);
    assert.match(read.hint ?? '', /make \/ro\/state\.json readable/);
  });

  it('keeps the cause for --verbose and words unknown errors plainly', () => {
    const cause = fsError('EACCES', 'open', '/x');
    assert.equal(stateAccessError('E_STATE_READ', 'cannot read', '/x', cause).cause, cause);
    assert.equal(describeFsError(fsError('EWHATEVER', 'open', '/x')), 'EWHATEVER');
    assert.equal(describeFsError(new Error('boom')), 'boom');
    assert.equal(describeFsError(fsError('ENOSPC', 'write', '/x')), 'no space left on the device (ENOSPC)');
  });
});

// A filesystem failure on the state path, in words: the path, what the OS said, and how to get past it.
import { dirname } from 'node:path';
import { CopernicaSyncError } from '../core/errors.js';
import { EXIT } from '../core/exit-codes.js';

export type StateAccessCode = 'E_STATE_LOCK' | 'E_STATE_READ' | 'E_STATE_WRITE';

/** The errno codes a user meets on a state path, as the OS manuals put them. */
const REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOTDIR: 'a part of the path is a file, not a directory',
  EISDIR: 'it is a directory',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  ENOENT: 'no such file or directory',
  ELOOP: 'too many levels of symbolic links',
  ENAMETOOLONG: 'file name too long',
  EMFILE: 'too many open files',
  EBUSY: 'resource busy',
};

const PERMISSION_CODES = new Set(['EACCES', 'EPERM', 'EROFS']);

const ELSEWHERE = 'point `state:` in imports.yaml (or --state) at a writable directory';

/**
 * `what` says what failed ("cannot take the lock"), `path` is the state or lock file; the OS error may name
 * another path (the directory being created), which the message then names too.
 */
export function stateAccessError(
  code: StateAccessCode,
  what: string,
  path: string,
  error: unknown,
): CopernicaSyncError {
  const errno = error instanceof Error ? (error as NodeJS.ErrnoException) : undefined;
  const failed = errno?.path ?? path;
  // A temp file beside the state or lock adds nothing; a directory being created, or one elsewhere, does.
  const place =
    errno?.syscall === 'mkdir'
      ? `: cannot create the directory ${failed}`
      : dirname(failed) === dirname(path)
        ? ''
        : ` (at ${failed})`;
  // mkdir -p says EEXIST when a file stands where a directory should be.
  const reason =
    errno?.syscall === 'mkdir' && errno.code === 'EEXIST'
      ? 'a file is in the way (EEXIST)'
      : describeFsError(error);
  return new CopernicaSyncError(code, `${what} ${path}${place}: ${reason}`, {
    cause: error,
    exitCode: EXIT.failure,
    hint: hintFor(code, errno?.code, failed),
  });
}

/** "permission denied (EACCES)"; an error without an errno code gives its message. */
export function describeFsError(error: unknown): string {
  const code = error instanceof Error ? (error as NodeJS.ErrnoException).code : undefined;
  if (code) return REASONS[code] ? `${REASONS[code]} (${code})` : code;
  return error instanceof Error ? error.message : String(error);
}

function hintFor(code: StateAccessCode, errno: string | undefined, failed: string): string {
  if (errno && PERMISSION_CODES.has(errno)) {
    return code === 'E_STATE_READ'
      ? `make ${failed} readable for this user, or ${ELSEWHERE}`
      : `make ${dirname(failed)} writable for this user, or ${ELSEWHERE}`;
  }
  if (errno === 'EISDIR')
    return 'the state path must name a file (e.g. .copernica-sync/state.json), not a directory';
  if (errno === 'ENOTDIR' || errno === 'EEXIST') return `move the file that is in the way, or ${ELSEWHERE}`;
  if (errno === 'ENOSPC' || errno === 'EDQUOT') return `free space there, or ${ELSEWHERE}`;
  return `check ${failed}, or ${ELSEWHERE}`;
}

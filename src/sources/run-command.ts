// Runs a `command` source: no shell, cwd = the config's directory, a timeout, stdout to a temp file, stderr's tail kept.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ResultPromise } from 'execa';
import type { ImportDefinition } from '../config/types.js';
import type { Diagnostic } from '../core/diagnostic.js';
import { formatDuration } from '../core/duration.js';
import { trackProcessGroup } from './process-group.js';

export const STDERR_TAIL_LINES = 20;
const STDERR_TAIL_BYTES = 16 * 1024;

export interface CommandOutput {
  /** The temp directory holding `stdout`; removed by disposeSources. */
  tempDir: string;
  stdoutPath: string;
  diagnostics: Diagnostic[];
}

export interface RunCommandOptions {
  configDir: string;
  tempDir?: string;
  /** Aborted when the tool is interrupted: the command's processes are ended. */
  signal?: AbortSignal;
}

type Ending = 'timeout' | 'interrupt' | undefined;

/**
 * The command runs as its own process group: on timeout or interrupt the whole group gets SIGTERM, then SIGKILL
 * after KILL_GRACE_MS; whatever it left running when it exited is ended the same way, so nothing outlives it.
 */
export async function runCommandSource(
  def: ImportDefinition,
  argv: string[],
  timeoutMs: number,
  options: RunCommandOptions,
): Promise<CommandOutput> {
  const tempDir = await mkdtemp(join(options.tempDir ?? tmpdir(), 'copernica-sync-cmd-'));
  const stdoutPath = join(tempDir, 'stdout');
  if (options.signal?.aborted) {
    const why = 'was not started: copernica-sync was interrupted';
    return { tempDir, stdoutPath, diagnostics: [failure(def, argv, why, '')] };
  }
  const [file = '', ...args] = argv;
  const { execa } = await import('execa'); // loaded only when a command source runs: it costs ~60 ms of start-up
  const child = execa(file, args, {
    cwd: options.configDir,
    detached: true,
    stdin: 'ignore',
    stdout: { file: stdoutPath },
    stderr: 'pipe',
    buffer: false,
    reject: false,
  });
  const tail = createTail();
  child.stderr?.on('data', (chunk: Buffer) => tail.push(chunk));
  const ending = await waitForCommand(child, timeoutMs, options.signal);
  const result = await child;
  if (!result.failed && !ending) return { tempDir, stdoutPath, diagnostics: [] };
  const why =
    ending === 'timeout'
      ? `timed out after ${formatDuration(timeoutMs)} and was stopped`
      : ending === 'interrupt'
        ? 'was stopped: copernica-sync was interrupted'
        : result.exitCode !== undefined
          ? `exited with code ${result.exitCode}`
          : result.signal
            ? `was killed by ${result.signal}`
            : `could not start (${result.originalMessage ?? result.shortMessage})`;
  const diagnostic = failure(def, argv, why, tail.lines());
  if (ending === 'timeout') diagnostic.hint = 'raise `timeout:` on this import if the command needs longer';
  return { tempDir, stdoutPath, diagnostics: [diagnostic] };
}

export async function removeCommandOutput(tempDir: string): Promise<void> {
  await rm(tempDir, { recursive: true, force: true });
}

/** Resolves once the command and everything it started are done; says why it was ended, if it was. */
async function waitForCommand(
  child: ResultPromise,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<Ending> {
  if (child.pid === undefined) return undefined; // it never started; the result says why
  const group = trackProcessGroup(child.pid);
  let ending: Ending;
  const endBecause = (why: Exclude<Ending, undefined>) => {
    ending ??= why;
    group.end();
  };
  const timer = setTimeout(() => endBecause('timeout'), timeoutMs);
  const onAbort = () => endBecause('interrupt');
  signal?.addEventListener('abort', onAbort, { once: true });
  // A background process left holding stderr would otherwise keep the run waiting until the timeout.
  child.once('exit', () => group.end());
  try {
    await child.then(
      () => undefined,
      () => undefined,
    );
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
    group.settle();
  }
  return ending;
}

function failure(def: ImportDefinition, argv: string[], why: string, stderr: string): Diagnostic {
  return {
    severity: 'error',
    code: 'E_SOURCE_COMMAND',
    message: `command ${JSON.stringify(argv.join(' '))} ${why}${stderr ? `; its stderr ends with:\n${stderr}` : ''}`,
    position: def.position,
    importName: def.name,
  };
}

/** Keeps the last bytes of a stream, so a chatty command cannot fill memory. */
function createTail(): { push(chunk: Buffer): void; lines(): string } {
  let kept = Buffer.alloc(0);
  return {
    push(chunk) {
      kept = Buffer.concat([kept, chunk]);
      if (kept.length > STDERR_TAIL_BYTES * 2) kept = kept.subarray(kept.length - STDERR_TAIL_BYTES);
    },
    lines() {
      const text = kept.toString('utf8').replace(/\s+$/, '');
      return text.split(/\r?\n/).slice(-STDERR_TAIL_LINES).join('\n');
    },
  };
}

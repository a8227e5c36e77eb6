// Runs a `command` source: no shell, cwd = the config's directory, a timeout, stdout to a temp file, stderr's tail kept.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ImportDefinition } from '../config/types.js';
import type { Diagnostic } from '../core/diagnostic.js';

export const STDERR_TAIL_LINES = 20;
const STDERR_TAIL_BYTES = 16 * 1024;

export interface CommandOutput {
  /** The temp directory holding `stdout`; removed by disposeSources. */
  tempDir: string;
  stdoutPath: string;
  diagnostics: Diagnostic[];
}

export async function runCommandSource(
  def: ImportDefinition,
  argv: string[],
  timeoutMs: number,
  options: { configDir: string; tempDir?: string },
): Promise<CommandOutput> {
  const tempDir = await mkdtemp(join(options.tempDir ?? tmpdir(), 'copernica-sync-cmd-'));
  const stdoutPath = join(tempDir, 'stdout');
  const [file = '', ...args] = argv;
  const { execa } = await import('execa'); // loaded only when a command source runs: it costs ~60 ms of start-up
  const child = execa(file, args, {
    cwd: options.configDir,
    timeout: timeoutMs,
    stdin: 'ignore',
    stdout: { file: stdoutPath },
    stderr: 'pipe',
    buffer: false,
    reject: false,
  });
  const tail = createTail();
  child.stderr?.on('data', (chunk: Buffer) => tail.push(chunk));
  const result = await child;
  if (!result.failed) return { tempDir, stdoutPath, diagnostics: [] };
  const why = result.timedOut
    ? `timed out after ${timeoutMs} ms`
    : result.exitCode !== undefined
      ? `exited with code ${result.exitCode}`
      : result.signal
        ? `was killed by ${result.signal}`
        : `could not start (${result.originalMessage ?? result.shortMessage})`;
  const stderr = tail.lines();
  const diagnostic: Diagnostic = {
    severity: 'error',
    code: 'E_SOURCE_COMMAND',
    message: `command ${JSON.stringify(argv.join(' '))} ${why}${stderr ? `; its stderr ends with:\n${stderr}` : ''}`,
    position: def.position,
    importName: def.name,
  };
  return { tempDir, stdoutPath, diagnostics: [diagnostic] };
}

export async function removeCommandOutput(tempDir: string): Promise<void> {
  await rm(tempDir, { recursive: true, force: true });
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

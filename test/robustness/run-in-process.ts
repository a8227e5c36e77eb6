// Runs the CLI in this process (runCli with captured streams): the same code path as the binary, without a node start per run.
import { PassThrough } from 'node:stream';
import { runCli } from '../../src/cli/run-cli.js';
import type { CliResult } from '../helpers/cli.js';

export async function runCliInProcess(
  args: string[],
  options: { cwd: string; env: Record<string, string> },
): Promise<CliResult> {
  const stdout = collect();
  const stderr = collect();
  const exitCode = await runCli(args, {
    stdout: stdout.stream,
    stderr: stderr.stream,
    isTTY: false,
    cwd: options.cwd,
    env: { ...process.env, NO_COLOR: '1', GITHUB_ACTIONS: '', ...options.env },
  });
  return { exitCode, stdout: stdout.text(), stderr: stderr.text() };
}

function collect(): { stream: PassThrough; text(): string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

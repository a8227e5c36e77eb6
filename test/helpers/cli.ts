// Spawns the built CLI in a directory and returns exit code and output; every test uses this, never process.exit mocks.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** The bundled CLI: what the `copernica-sync` bin and `npm start` run (scripts/bundle-cli.mjs). */
export const CLI_PATH = join(REPO_ROOT, 'dist', 'src', 'bundle', 'main.js');

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface CliRunOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  input?: string;
  timeoutMs?: number;
}

export async function runCliProcess(args: string[], options: CliRunOptions = {}): Promise<CliResult> {
  const result = await execa(process.execPath, [CLI_PATH, ...args], {
    cwd: options.cwd ?? REPO_ROOT,
    env: { NO_COLOR: '1', GITHUB_ACTIONS: '', ...options.env },
    extendEnv: true,
    reject: false,
    timeout: options.timeoutMs ?? 30_000,
    ...(options.input === undefined ? { stdin: 'ignore' as const } : { input: options.input }),
  });
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
}

/** A fresh temp directory laid out from an object literal: { 'imports.yaml': '...', 'data/a.csv': '...' }. */
export function createFixtureDir(files: Record<string, string | Buffer>): {
  dir: string;
  cleanup: () => void;
} {
  const dir = mkdtempSync(join(tmpdir(), 'copernica-sync-test-'));
  for (const [rel, content] of Object.entries(files)) {
    const full = join(dir, rel);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
  }
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

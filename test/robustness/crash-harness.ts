// Spawns `apply --format json`, watches what it does (stdout events, emulator requests, state writes, reads) and SIGKILLs it at a chosen point.
import { type ChildProcess, spawn } from 'node:child_process';
import {
  existsSync,
  type FSWatcher,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  watch,
} from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { RecordedRequest } from '../../src/emulator/start-emulator.js';
import { isStateTempFile, parseState } from '../../src/state/state-store.js';
import type { StateFile } from '../../src/state/types.js';
import type { Project } from '../e2e/helpers.js';
import { CLI_PATH } from '../helpers/cli.js';

/** What a kill point can look at while the apply runs. */
export interface RunView {
  /** NDJSON events printed so far. */
  events: Array<Record<string, unknown>>;
  requests: readonly RecordedRequest[];
  /** Distinct state temp files seen (one per state write). */
  stateWrites: number;
  /** The state file as it is now (undefined when absent). */
  state(): StateFile | undefined;
  lockExists(): boolean;
  /** Read offset of the child's open descriptor on a file ending in `suffix`, or -1. */
  readOffset(suffix: string): number;
}

export interface KillPoint {
  name: string;
  /** Queues emulator faults before the run starts. */
  arrange?: (p: Project) => void;
  when: (view: RunView) => boolean;
}

export interface KillResult {
  /** False when the run ended on its own before the kill landed. */
  killed: boolean;
  stdout: string;
}

const RUN_TIMEOUT_MS = 15_000;

export async function applyUntil(
  p: Project,
  point: KillPoint,
  env: Record<string, string> = {},
): Promise<KillResult> {
  const stateDir = join(p.dir, '.state');
  mkdirSync(stateDir, { recursive: true });
  const temps = new Set<string>();
  const watcher: FSWatcher = watch(stateDir, (_event, name) => {
    if (name && isStateTempFile(p.statePath, name)) temps.add(name);
  });
  const child = spawn(process.execPath, [CLI_PATH, 'apply', '--format', 'json'], {
    cwd: p.dir,
    env: {
      ...process.env,
      NO_COLOR: '1',
      GITHUB_ACTIONS: '',
      COPERNICA_API_URL: p.emulator.url,
      COPERNICA_ACCESS_TOKEN: p.emulator.token,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = exitOf(child);
  let stdout = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  child.stderr?.resume();
  const view = createView(p, child.pid ?? -1, () => stdout, temps);
  try {
    return await watchAndKill(child, exited, view, point, () => stdout);
  } finally {
    watcher.close();
  }
}

async function watchAndKill(
  child: ChildProcess,
  exited: Promise<void>,
  view: RunView,
  point: KillPoint,
  stdout: () => string,
): Promise<KillResult> {
  let done = false;
  void exited.then(() => {
    done = true;
  });
  const deadline = Date.now() + RUN_TIMEOUT_MS;
  while (!done) {
    if (point.when(view)) {
      child.kill('SIGKILL');
      await exited;
      return { killed: child.signalCode === 'SIGKILL', stdout: stdout() };
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      await exited;
      throw new Error(`kill point "${point.name}" never came within ${RUN_TIMEOUT_MS} ms`);
    }
    await delay(3); // poll interval for the condition, bounded by the deadline above
  }
  return { killed: false, stdout: stdout() };
}

function exitOf(child: ChildProcess): Promise<void> {
  // 'close', not 'exit': stdout has been read to its end by then.
  return new Promise((resolve) => child.once('close', () => resolve()));
}

function createView(p: Project, pid: number, stdout: () => string, temps: Set<string>): RunView {
  const events: Array<Record<string, unknown>> = [];
  let parsedUpTo = 0;
  return {
    get events() {
      // Parse only the complete lines that arrived since the last look.
      const text = stdout();
      const end = text.lastIndexOf('\n') + 1;
      if (end > parsedUpTo) events.push(...parseLines(text.slice(parsedUpTo, end)));
      parsedUpTo = Math.max(parsedUpTo, end);
      return events;
    },
    requests: p.emulator.requests,
    get stateWrites() {
      return temps.size;
    },
    state: () => readStateIfAny(p.statePath),
    lockExists: () => existsSync(`${p.statePath}.lock`),
    readOffset: (suffix) => readOffset(pid, suffix),
  };
}

function parseLines(text: string): Array<Record<string, unknown>> {
  return text
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** Reads and checks the state file (it must always parse); undefined when there is none. */
export function readStateIfAny(path: string): StateFile | undefined {
  if (!existsSync(path)) return undefined;
  return parseState(readFileSync(path, 'utf8'), path);
}

/** Linux: /proc/<pid>/fdinfo gives the position of the scan's read; elsewhere -1. */
function readOffset(pid: number, suffix: string): number {
  try {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
      if (!target.endsWith(suffix)) continue;
      const info = readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8');
      return Number(/pos:\s+(\d+)/.exec(info)?.[1] ?? -1);
    }
  } catch {
    // The descriptor closed between the listing and the read, or there is no /proc.
  }
  return -1;
}

/** Waits (bounded) until every request the emulator is still holding back (slow-headers) has been answered. */
export async function settleEmulator(requests: readonly RecordedRequest[]): Promise<void> {
  const deadline = Date.now() + 5000;
  while (requests.some((r) => r.fault === 'slow-headers' && r.status === 0) && Date.now() < deadline) {
    await delay(5);
  }
  await new Promise((resolve) => setImmediate(resolve));
}

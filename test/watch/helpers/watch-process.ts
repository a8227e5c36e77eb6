// Spawns the built CLI's `watch` with a handle, collects its output, and waits for markers with a bounded timeout.
import { execa, type ResultPromise } from 'execa';
import { CLI_PATH } from '../../helpers/cli.js';

export interface WatchExit {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface WatchProcess {
  readonly pid: number | undefined;
  stdout(): string;
  stderr(): string;
  /** The current length of stdout: pass it to `waitFor` to look only at what comes after. */
  mark(): number;
  /** Resolves with the end offset of the first match in stdout after `from`; rejects after `timeoutMs`. */
  waitFor(pattern: RegExp, from?: number, timeoutMs?: number): Promise<number>;
  /** Sends a signal and waits for the exit. */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<WatchExit>;
  /** Waits for the exit without signalling. */
  exited(): Promise<WatchExit>;
}

export function spawnWatch(
  args: string[],
  options: { cwd: string; env: Record<string, string> },
): WatchProcess {
  const child: ResultPromise = execa(process.execPath, [CLI_PATH, 'watch', ...args], {
    cwd: options.cwd,
    env: { NO_COLOR: '1', GITHUB_ACTIONS: '', CHOKIDAR_USEPOLLING: '', ...options.env },
    extendEnv: true,
    reject: false,
    stdin: 'ignore',
    timeout: 120_000,
  });
  let out = '';
  let err = '';
  const listeners = new Set<() => void>();
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    for (const listener of listeners) listener();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    err += chunk.toString();
  });
  const result = child.then((r) => ({ exitCode: r.exitCode ?? -1, stdout: out, stderr: err }));
  let done = false;
  void result.then(() => {
    done = true;
    for (const listener of listeners) listener();
  });

  const waitFor = (pattern: RegExp, from = 0, timeoutMs = 15_000) =>
    new Promise<number>((resolve, reject) => {
      const check = () => {
        const match = new RegExp(pattern.source, pattern.flags.replace('g', '')).exec(out.slice(from));
        if (match) return finish(() => resolve(from + match.index + match[0].length));
        if (done) finish(() => reject(new Error(`watch exited before ${pattern}\n${tail(out, err)}`)));
      };
      const timer = setTimeout(
        () =>
          finish(() =>
            reject(new Error(`timed out after ${timeoutMs} ms waiting for ${pattern}\n${tail(out, err)}`)),
          ),
        timeoutMs,
      );
      const finish = (settle: () => void) => {
        clearTimeout(timer);
        listeners.delete(check);
        settle();
      };
      listeners.add(check);
      check();
    });

  return {
    pid: child.pid,
    stdout: () => out,
    stderr: () => err,
    mark: () => out.length,
    waitFor,
    async stop(signal = 'SIGTERM', timeoutMs = 20_000) {
      if (!done) child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      try {
        return await result;
      } finally {
        clearTimeout(timer);
      }
    },
    exited: () => result,
  };
}

function tail(out: string, err: string): string {
  return `--- stdout (tail) ---\n${out.slice(-3000)}\n--- stderr (tail) ---\n${err.slice(-2000)}`;
}

/** Polls `probe` until it returns a value (not undefined), or fails after `timeoutMs`. */
export async function until<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 15_000,
  intervalMs = 25,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

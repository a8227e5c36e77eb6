// A command source runs as its own process group, so that ending it ends everything it started.

/** How long a command's processes get to exit after SIGTERM before they are sent SIGKILL. */
export const KILL_GRACE_MS = 3000;

export interface ProcessGroup {
  /** SIGTERM to every process of the group now, SIGKILL to whatever is left after the grace period. */
  end(): void;
  /** Call once the command's streams have closed: forgets the group when none of it is left. */
  settle(): void;
}

/** Groups that may still have processes; the exit hook kills them if the tool exits first. */
const liveGroups = new Set<number>();
let exitHookInstalled = false;

/** `pid` is the leader of a detached child, whose process group id equals its pid. */
export function trackProcessGroup(pid: number, graceMs: number = KILL_GRACE_MS): ProcessGroup {
  installExitHook();
  liveGroups.add(pid);
  let ended = false;
  let killTimer: NodeJS.Timeout | undefined;
  const forget = () => {
    if (killTimer) clearTimeout(killTimer);
    liveGroups.delete(pid);
  };
  return {
    end() {
      if (ended) return;
      ended = true;
      if (!signalGroup(pid, 'SIGTERM')) return forget();
      killTimer = setTimeout(() => {
        signalGroup(pid, 'SIGKILL');
        forget();
      }, graceMs);
      // The grace period must not keep the tool alive; the exit hook covers an earlier exit.
      killTimer.unref();
    },
    settle() {
      if (!signalGroup(pid, 0)) forget();
    },
  };
}

/** True when the signal reached at least one process of the group. */
export function signalGroup(pid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    // Windows has no process groups: the leader is all we can reach.
    process.kill(process.platform === 'win32' ? pid : -pid, signal);
    return true;
  } catch {
    return false;
  }
}

/** The tool is exiting (e.g. an interrupt during `plan`) and cannot wait out a grace period: kill at once. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const pid of liveGroups) signalGroup(pid, 'SIGKILL');
  });
}

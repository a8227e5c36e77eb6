// The 20 moments at which the crash-safety test SIGKILLs an apply, each recognised by something the run visibly did.
import type { RecordedRequest } from '../../src/emulator/start-emulator.js';
import type { KillPoint, RunView } from './crash-harness.js';

const MIB = 1 << 20;

const posts = (v: RunView): RecordedRequest[] =>
  v.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/imports'));
const polls = (v: RunView, id: number): number =>
  v.requests.filter((r) => r.path === `/v3/import/${id}`).length;
const answered = (v: RunView, n: number): boolean => posts(v).filter((r) => r.status === 201).length >= n;
const event = (v: RunView, type: string, name?: string, extra?: (e: Record<string, unknown>) => boolean) =>
  v.events.some((e) => e.type === type && (name === undefined || e.name === name) && (extra?.(e) ?? true));
const outcome = (v: RunView, name: string, wanted: string): boolean =>
  v.state()?.imports[name]?.outcome === wanted;
const hashing = (v: RunView, atLeast: number): boolean =>
  // Before the plan is printed, an open big.csv is being hashed; without /proc, fall back to the plan line.
  (!event(v, 'plan-summary') && v.readOffset('big.csv') >= atLeast) || event(v, 'plan-summary');

/** Where the imports of a run are: big's import ID, the POSTs answered once dup's was, tail's import ID. */
export interface RunIds {
  big: number;
  dupAnswered: number;
  tail: number;
}

/** Imports run in name order on one database: big (1 MiB, update or add), dup (add), tail (update or add). */
export const KILL_POINTS: KillPoint[] = killPoints({ big: 1, dupAnswered: 2, tail: 3 });

export function killPoints(ids: RunIds): KillPoint[] {
  return [
    { name: 'lock taken', when: (v) => v.lockExists() },
    { name: 'hashing big.csv at 64 KiB', when: (v) => hashing(v, 64 * 1024) },
    { name: 'hashing big.csv at 512 KiB', when: (v) => hashing(v, MIB / 2) },
    { name: 'writing the hash cache (first state write)', when: (v) => v.stateWrites >= 1 },
    { name: 'plan printed', when: (v) => event(v, 'plan-summary') },
    { name: 'big started', when: (v) => event(v, 'import-start', 'big') },
    {
      name: 'uploading big at 512 KiB',
      when: (v) => event(v, 'upload-progress', 'big', (e) => Number(e.bytes) >= MIB / 2),
    },
    {
      name: 'big uploaded, response held back (slow-headers)',
      arrange: (p) => p.emulator.faults.next(1, 'slow-headers', { method: 'POST', delayMs: 300 }),
      when: (v) => posts(v).some((r) => r.bodySize > 0),
    },
    { name: 'emulator sent 201 for big', when: (v) => answered(v, 1) },
    { name: 'import-created big printed', when: (v) => event(v, 'import-created', 'big') },
    { name: 'state records big as submitted', when: (v) => outcome(v, 'big', 'submitted') },
    { name: 'polling big (first GET)', when: (v) => polls(v, ids.big) >= 1 },
    { name: 'polling big (second GET)', when: (v) => polls(v, ids.big) >= 2 },
    { name: 'big finished', when: (v) => event(v, 'import-finished', 'big') },
    { name: 'state records big as finished', when: (v) => outcome(v, 'big', 'finished') },
    { name: 'dup (add) started', when: (v) => event(v, 'import-start', 'dup') },
    { name: 'emulator sent 201 for dup (add)', when: (v) => answered(v, ids.dupAnswered) },
    { name: 'state records dup as submitted', when: (v) => outcome(v, 'dup', 'submitted') },
    { name: 'polling tail', when: (v) => polls(v, ids.tail) >= 1 },
    { name: 'summary printed', when: (v) => event(v, 'summary') },
  ];
}

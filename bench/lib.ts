// Shared benchmark helpers: time a command with GNU time (wall seconds + peak RSS from the OS), repeat, summarize.
import { execa } from 'execa';

export interface Measurement {
  seconds: number;
  peakRssMb: number;
}

export interface BenchRow {
  name: string;
  subject: string;
  baseline: string;
  subjectMedianS: number;
  /** max - min over the runs. */
  subjectSpreadS: number;
  baselineMedianS: number;
  /** subject / baseline time (lower is better) unless the row says otherwise in `note`. */
  ratio: number;
  peakRssMb: number;
  goal: string;
  /** undefined: a figure reported without a goal of its own. */
  met: boolean | undefined;
  note?: string;
}

export interface TimeOptions {
  cwd?: string;
  env?: Record<string, string>;
  input?: string;
}

/** Runs `cmd args` under /usr/bin/time and returns wall time and the peak resident set size the kernel saw. */
export async function timeCommand(
  cmd: string,
  args: string[],
  options: TimeOptions = {},
): Promise<Measurement> {
  const result = await execa('/usr/bin/time', ['-f', '__TIME__ %e %M', cmd, ...args], {
    cwd: options.cwd,
    env: options.env,
    extendEnv: true,
    reject: false,
    stdout: 'ignore',
    ...(options.input === undefined ? {} : { input: options.input }),
  });
  const match = /__TIME__ ([0-9.]+) ([0-9]+)/.exec(String(result.stderr));
  if (!match || result.exitCode !== 0) {
    throw new Error(
      `benchmark command failed (${result.exitCode}): ${cmd} ${args.join(' ')}\n${String(result.stderr).slice(-2000)}`,
    );
  }
  return { seconds: Number(match[1]), peakRssMb: Number(match[2]) / 1024 };
}

export async function repeat(runs: number, fn: () => Promise<Measurement>): Promise<Measurement[]> {
  const out: Measurement[] = [];
  for (let i = 0; i < runs; i += 1) out.push(await fn());
  return out;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

export function spread(values: number[]): number {
  return values.length === 0 ? 0 : Math.max(...values) - Math.min(...values);
}

export function compareRuns(
  name: string,
  subject: { label: string; runs: Measurement[] },
  baseline: { label: string; runs: Measurement[] },
  goal: { text: string; met: (ratio: number, peakRssMb: number) => boolean },
): BenchRow {
  const subjectMedianS = median(subject.runs.map((r) => r.seconds));
  const baselineMedianS = median(baseline.runs.map((r) => r.seconds));
  const ratio = baselineMedianS > 0 ? subjectMedianS / baselineMedianS : Number.NaN;
  const peakRssMb = Math.max(...subject.runs.map((r) => r.peakRssMb));
  return {
    name,
    subject: subject.label,
    baseline: baseline.label,
    subjectMedianS,
    subjectSpreadS: spread(subject.runs.map((r) => r.seconds)),
    baselineMedianS,
    ratio,
    peakRssMb,
    goal: goal.text,
    met: goal.met(ratio, peakRssMb),
  };
}

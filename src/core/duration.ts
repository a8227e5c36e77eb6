// Durations in imports.yaml and on the command line: "500ms", "60s", "5m", "1h", or a bare number of ms.

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
export const DURATION_PATTERN = '^[0-9]+(\\.[0-9]+)?(ms|s|m|h)?$';

/** Returns milliseconds, or undefined when the text is not a duration. */
export function parseDuration(raw: string | number): number | undefined {
  if (typeof raw === 'number') return Number.isFinite(raw) && raw >= 0 ? raw : undefined;
  const match = /^([0-9]+(?:\.[0-9]+)?)(ms|s|m|h)?$/.exec(raw.trim());
  if (!match) return undefined;
  const unit = UNITS[match[2] ?? 'ms'] ?? 1;
  return Math.round(Number(match[1]) * unit);
}

/** Milliseconds written back the way imports.yaml spells durations: 300ms, 2s, 1.5s, 10m, 1h. */
export function formatDuration(ms: number): string {
  for (const [unit, size] of [
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
  ] as const) {
    if (ms >= size && (ms * 10) % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}

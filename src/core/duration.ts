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

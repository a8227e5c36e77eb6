// An import's line counts, under either spelling: the docs list `processedlines`, their example `processedLines`.
import type { ImportStatus } from './types.js';

export interface ImportLines {
  processed: number | undefined;
  total: number | undefined;
}

/** The counts as numbers; undefined when Copernica sent neither spelling (or no number). */
export function readImportLines(status: Readonly<Record<string, unknown>>): ImportLines {
  return {
    processed: toLines(status.processedlines ?? status.processedLines),
    total: toLines(status.totallines ?? status.totalLines),
  };
}

/** Fills the lowercase spellings the rest of the tool reads from the camelCase ones, values untouched. */
export function normalizeImportStatus(status: ImportStatus): ImportStatus {
  const processed = status.processedlines ?? status.processedLines;
  const total = status.totallines ?? status.totalLines;
  return {
    ...status,
    ...(processed === undefined ? {} : { processedlines: processed }),
    ...(total === undefined ? {} : { totallines: total }),
  };
}

function toLines(value: unknown): number | undefined {
  if (value === undefined || value === null || value === '' || typeof value === 'boolean') return undefined;
  const n = Number(value);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

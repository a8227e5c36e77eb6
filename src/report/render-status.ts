// A status row as text: the last applied run, its error, and Copernica's own view of it.
import { countOf } from '../core/plural.js';
import type { RowDrift } from '../run/row-drift.js';
import type { StatusRow } from '../run/status.js';
import type { Palette } from './paint.js';

export function renderStatusRow(row: StatusRow, paint: Palette): string {
  if (!row.applied) return `${row.name}: never applied`;
  const tone =
    row.outcome === 'finished' ? paint.green : row.outcome === 'submitted' ? paint.yellow : paint.red;
  const id = row.importId ? `, Copernica import ${row.importId}` : '';
  const lines = [
    `${row.name}: ${tone(row.outcome ?? '')} at ${row.appliedAt}, ${countOf(row.rows ?? 0, 'row')}, fingerprint ${row.fingerprint?.slice(0, 12)}${id}`,
  ];
  if (row.error) lines.push(`  last error: ${row.error}`);
  if (row.live) lines.push(`  live: ${renderLive(row.live)}`);
  if (row.liveError) lines.push(`  live: ${paint.red('unavailable')}: ${row.liveError}`);
  if (row.drift) lines.push(`  rows: ${renderDrift(row.drift)}`);
  if (row.outcome === 'submitted' && row.live === undefined && row.liveError === undefined) {
    lines.push(
      '  outcome not checked: run `copernica-sync status` or `copernica-sync apply` with the token set; both ask Copernica and record it',
    );
  }
  return lines.join('\n');
}

/** Whether a row is a problem (shown under --quiet). */
export function isStatusProblem(row: StatusRow): boolean {
  const drift = row.drift !== undefined && row.drift.missing + row.drift.differ > 0;
  return (
    ['failed', 'unknown', 'submitted'].includes(row.outcome ?? '') || row.liveError !== undefined || drift
  );
}

function renderDrift(d: RowDrift): string {
  const head = `${countOf(d.rows, 'row')} in the snapshot; Copernica lacks ${d.missing}, holds other values for ${d.differ}`;
  const named = d.examples.length > 0 ? ` (${d.examples.join('; ')})` : '';
  const note =
    d.notFields.length > 0 ? `; not fields, so values not compared: ${d.notFields.join(', ')}` : '';
  return `${head}${named}${note}`;
}

function renderLive(live: Record<string, unknown>): string {
  const done = live.lastrun ? `finished ${String(live.lastrun)}` : 'not finished';
  const error = live.lasterror ? `, error: ${String(live.lasterror)}` : '';
  const total = live.totallines ?? live.totalLines;
  const processed = live.processedlines ?? live.processedLines;
  const lines = total !== undefined ? `, ${String(processed ?? '?')}/${String(total)} lines` : '';
  return `${String(live.status ?? '')} (${done}${lines}${error})`;
}

// Renders a plan as text (one line per import, then the summary and the full hash), NDJSON, or a Markdown table.

import { countOf } from '../core/plural.js';
import { toImportEvent } from '../plan/import-event.js';
import type { Plan, PlannedImport, PlanStatus } from '../plan/types.js';
import { createPaint, type Palette } from './paint.js';

export interface PlanTextOptions {
  color: boolean;
  /** Every reason and the files that would run, not just the first reason (hints print as diagnostics). */
  verbose: boolean;
}

export function renderPlanText(plan: Plan, options: PlanTextOptions): string {
  const paint = createPaint(options.color);
  const nameWidth = Math.max(0, ...plan.imports.map((p) => p.name.length));
  const lines = plan.imports.flatMap((item) => renderImportText(item, nameWidth, paint, options.verbose));
  return `${[...lines, renderSummaryLine(plan)].join('\n')}\n`;
}

/** `Plan: 2 to run, 5 unchanged, 1 refused, 0 invalid. Plan hash <full sha256>` */
export function renderSummaryLine(plan: Plan): string {
  const s = plan.summary;
  const skipped = s.skipped ? `, ${s.skipped} skipped` : '';
  const pending = s.pending ? `, ${s.pending} still running in Copernica` : '';
  return `Plan: ${s.toRun} to run, ${s.unchanged} unchanged${pending}, ${s.refused} refused, ${s.invalid} invalid${skipped}. Plan hash ${plan.hash}`;
}

/** NDJSON ends with one `summary`: when apply runs imports after the plan, the plan's own is `plan-summary`. */
export function renderPlanNdjson(plan: Plan, continued: boolean): string {
  const events = plan.imports.map((item) => JSON.stringify(toImportEvent(item)));
  const type = continued ? 'plan-summary' : 'summary';
  events.push(JSON.stringify({ type, version: 1, ...plan.summary, hash: plan.hash }));
  return `${events.join('\n')}\n`;
}

/** For $GITHUB_STEP_SUMMARY. */
export function renderPlanMarkdown(plan: Plan): string {
  const rows = plan.imports.map(
    (p) =>
      `| ${statusLabel(p)} | \`${cell(p.name)}\` | ${cell(p.action)} | ${cell(String(p.database))} | ${p.rows} | ${renderRows(p)?.slice(5) ?? ''}${p.prune ? `; prune ${p.prune.keys}` : ''} | ${cell(p.reasons.join('; '))} |`,
  );
  return [
    '### copernica-sync plan',
    '',
    '| status | import | action | database | rows | row changes | why |',
    '|---|---|---|---|---:|---|---|',
    ...rows,
    '',
    `${renderSummaryLine(plan).replace(/Plan hash (\w+)$/, 'Plan hash `$1`')}`,
    '',
  ].join('\n');
}

function renderImportText(item: PlannedImport, width: number, paint: Palette, verbose: boolean): string[] {
  const tone = toneFor(item, paint);
  const head = `${tone(statusLabel(item).padEnd(13))} ${paint.bold(item.name.padEnd(width))}`;
  const [first = '', ...rest] = item.reasons;
  const lines = [`${head}  ${first}`.trimEnd()];
  const indent = ' '.repeat(14);
  const rows = renderRows(item);
  if (rows) lines.push(`${indent}${' '.repeat(width)}  ${rows}`);
  if (item.prune) {
    const prune = `${tone('prune'.padEnd(13))} ${paint.bold(item.name.padEnd(width))}`;
    lines.push(
      `${prune}  delete ${countOf(item.prune.keys, 'key')} it sent before that the data no longer has`,
    );
  }
  if (!verbose) return lines;
  for (const reason of rest) lines.push(`${indent}${reason}`);
  if (item.runFiles.length > 0)
    lines.push(`${indent}${paint.dim(`files to run: ${item.runFiles.join(', ')}`)}`);
  return lines;
}

/** `rows +120 ~45 −3 =10,066`, and how many a delta sends. */
export function renderRows(item: PlannedImport): string | undefined {
  const c = item.rowChanges;
  // An untouched import's rows are all unchanged: the status line says so already.
  if (!c || (!item.willRun && c.added + c.changed + c.removed === 0)) return undefined;
  const n = (value: number) => String(value).replace(/\B(?=(\d{3})+$)/g, ','); // toLocaleString loads ICU: ~15 ms
  const counts = `rows +${n(c.added)} ~${n(c.changed)} −${n(c.removed)} =${n(c.unchanged)}`;
  return item.sendRows === undefined ? counts : `${counts}; sends ${countOf(item.sendRows, 'row')}`;
}

/** `skipped` replaces the status when a dependency stops an import that would otherwise run. */
function statusLabel(item: PlannedImport): PlanStatus | 'skipped' {
  return item.blockedBy ? 'skipped' : item.status;
}

function toneFor(item: PlannedImport, paint: Palette): (s: string) => string {
  if (item.blockedBy || item.overridden.length > 0) return paint.yellow;
  const tones: Record<PlanStatus, (s: string) => string> = {
    new: paint.green,
    changed: paint.green,
    'failed-before': paint.yellow,
    pending: paint.yellow,
    unchanged: paint.dim,
    refused: paint.red,
    invalid: paint.red,
  };
  return tones[item.status];
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

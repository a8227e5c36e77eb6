// Apply's events as lines, its progress as a redrawn line, and its closing summary as text or Markdown.
import type { ApplyEvent } from '../apply/events.js';
import type { ImportResult } from '../apply/execute-plan.js';
import { countOf } from '../core/plural.js';
import type { ApplySummary } from '../run/apply.js';
import type { Palette } from './paint.js';

export type ProgressEvent = Extract<ApplyEvent, { type: 'upload-progress' | 'import-progress' }>;

export function isProgress(event: ApplyEvent): event is ProgressEvent {
  return event.type === 'upload-progress' || event.type === 'import-progress';
}

export function renderProgress(event: ProgressEvent): string {
  if (event.type === 'upload-progress') return `${event.name}: uploaded ${formatBytes(event.bytes)}`;
  const share = event.total > 0 ? ` ${Math.floor((100 * event.processed) / event.total)}%` : '';
  return `${event.name}: import ${event.id} ${event.status}${share}`;
}

/** Went through (or was accepted and not waited for): no problem to show. */
export function isFailure(event: {
  type: string;
}): event is Extract<ApplyEvent, { type: 'import-finished' }> {
  const finished = event as Extract<ApplyEvent, { type: 'import-finished' }>;
  return (
    finished.type === 'import-finished' && finished.outcome !== 'finished' && finished.outcome !== 'submitted'
  );
}

export function renderEventLine(event: ApplyEvent, paint: Palette): string | undefined {
  switch (event.type) {
    case 'import-start': {
      const what =
        event.action === 'delete'
          ? `delete ${countOf(event.rows, 'row')} from`
          : `${event.action} ${countOf(event.rows, 'row')} into`;
      const prune = event.part === 'prune' ? ' (prune: keys it sent before, gone from the data)' : '';
      return `${event.name}: ${what} database ${event.database}${event.file ? ` from ${event.file}` : ''}${prune}`;
    }
    case 'import-created':
      return `${event.name}: created Copernica import ${event.id}${event.file ? ` (${event.file})` : ''}${event.part ? ` (${event.part})` : ''}`;
    case 'import-finished': {
      const took = `${(event.durationMs / 1000).toFixed(1)}s`;
      const of = event.file ? ` (${event.file})` : event.part ? ` (${event.part})` : '';
      if (event.outcome === 'finished') return `${paint.green('✓')} ${event.name}: finished in ${took}${of}`;
      if (event.outcome === 'submitted') return `${paint.green('✓')} ${event.name}: submitted (not waiting)`;
      const head =
        `${paint.red('✗')} ${event.name}: ${event.outcome} ${event.code ?? ''} ${event.message ?? ''}`.trimEnd();
      return event.hint ? `${head}\n  hint: ${event.hint}` : head;
    }
    case 'import-skipped':
      return `${paint.yellow('-')} ${event.name}: skipped (${event.because === 'interrupted' ? 'interrupted' : `depends on ${event.because}, which did not succeed`})`;
    case 'import-resolved': {
      const of = event.file ? ` (${event.file})` : '';
      const said = event.message ? `: ${event.message}` : '';
      return `${event.name}: Copernica import ${event.id}${of} ${event.outcome === 'submitted' ? 'is' : 'has'} ${event.outcome === 'submitted' ? 'still running' : event.outcome}${event.outcome === 'failed' ? said : ''}`;
    }
    case 'retry':
      return `${event.name ? `${event.name}: ` : ''}${event.message}; retrying in ${(event.delayMs / 1000).toFixed(1)}s`;
    default:
      return undefined;
  }
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** `Apply: 3 succeeded, 1 failed, 2 unchanged.` */
export function renderApplySummary(s: ApplySummary): string {
  const parts = [
    `${s.succeeded} succeeded`,
    s.submitted > 0 ? `${s.submitted} submitted` : '',
    `${s.failed} failed`,
    s.unknown > 0 ? `${s.unknown} with unknown outcome` : '',
    s.skipped > 0 ? `${s.skipped} skipped` : '',
    `${s.unchanged} unchanged`,
    s.pending > 0 ? `${s.pending} still running in Copernica` : '',
    s.refused > 0 ? `${s.refused} refused` : '',
    s.invalid > 0 ? `${s.invalid} invalid` : '',
  ].filter((p) => p.length > 0);
  return `Apply: ${parts.join(', ')}.`;
}

/** For $GITHUB_STEP_SUMMARY: one row per import that ran (or was skipped), then the totals. */
export function renderApplyMarkdown(results: readonly ImportResult[], summary: ApplySummary): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
  const rows = results.map(
    (r) => `| \`${r.name}\` | ${r.outcome} | ${r.ids.join(', ')} | ${cell(r.diagnostic?.message ?? '')} |`,
  );
  return [
    '### copernica-sync apply',
    '',
    '| import | outcome | Copernica import | error |',
    '|---|---|---|---|',
    ...rows,
    '',
    renderApplySummary(summary),
    '',
  ].join('\n');
}

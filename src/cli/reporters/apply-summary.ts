// The closing line of apply: what succeeded, failed, was skipped, and what the plan left alone.
import type { ImportResult } from '../../apply/execute-plan.js';
import type { Plan } from '../../plan/types.js';
import type { OutputFormat } from '../context.js';

export function summarizeApply(results: ReadonlyMap<string, ImportResult>, plan: Plan) {
  const list = [...results.values()];
  const count = (outcome: ImportResult['outcome']) => list.filter((r) => r.outcome === outcome).length;
  return {
    succeeded: count('succeeded'),
    submitted: count('submitted'),
    failed: count('failed'),
    unknown: count('unknown'),
    skipped: count('skipped'),
    unchanged: plan.summary.unchanged,
    refused: plan.summary.refused,
    invalid: plan.summary.invalid,
    planHash: plan.hash,
  };
}

export function renderApplySummary(
  results: ReadonlyMap<string, ImportResult>,
  plan: Plan,
  format: OutputFormat,
): string {
  const s = summarizeApply(results, plan);
  if (format === 'json')
    return `${JSON.stringify({ type: 'summary', version: 1, command: 'apply', ...s })}\n`;
  const parts = [
    `${s.succeeded} succeeded`,
    s.submitted > 0 ? `${s.submitted} submitted` : '',
    `${s.failed} failed`,
    s.unknown > 0 ? `${s.unknown} with unknown outcome` : '',
    s.skipped > 0 ? `${s.skipped} skipped` : '',
    `${s.unchanged} unchanged`,
    s.refused > 0 ? `${s.refused} refused` : '',
    s.invalid > 0 ? `${s.invalid} invalid` : '',
  ].filter((p) => p.length > 0);
  return `Apply: ${parts.join(', ')}.\n`;
}

/** For $GITHUB_STEP_SUMMARY: one row per import that ran (or was skipped), then the totals. */
export function renderApplyMarkdown(results: ReadonlyMap<string, ImportResult>, plan: Plan): string {
  const rows = [...results.values()].map(
    (r) =>
      `| \`${r.name}\` | ${r.outcome} | ${r.ids.join(', ')} | ${(r.diagnostic?.message ?? '').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ')} |`,
  );
  return [
    '### copernica-sync apply',
    '',
    '| import | outcome | Copernica import | error |',
    '|---|---|---|---|',
    ...rows,
    '',
    renderApplySummary(results, plan, 'text'),
  ].join('\n');
}

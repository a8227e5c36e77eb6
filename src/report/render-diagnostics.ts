// Renders one diagnostic as a text line, an NDJSON object, a GitHub workflow command or a Markdown row.
import type { Diagnostic } from '../core/diagnostic.js';
import { createPaint } from './paint.js';

export function renderDiagnosticText(d: Diagnostic, color: boolean): string {
  const paint = createPaint(color);
  const where = d.position ? `${d.position.file}:${d.position.line}:${d.position.column} ` : '';
  const tone = d.severity === 'error' ? paint.red : d.severity === 'warning' ? paint.yellow : paint.dim;
  const scope = d.importName ? `[${d.importName}] ` : ''; // a data file may belong to several imports
  const head = `${where}${tone(d.severity)} ${paint.bold(d.code)} ${scope}${d.message}`;
  return d.hint ? `${head}\n  ${paint.dim(`hint: ${d.hint}`)}\n` : `${head}\n`;
}

export function renderDiagnosticJson(d: Diagnostic): string {
  return `${JSON.stringify({ type: 'diagnostic', version: 1, ...d })}\n`;
}

/** GitHub workflow commands need `%`, CR and LF escaped (and `,` `:` in properties). */
function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function renderDiagnosticGithub(d: Diagnostic): string {
  const level = d.severity === 'error' ? 'error' : d.severity === 'warning' ? 'warning' : 'notice';
  const props = d.position
    ? ` file=${escapeProperty(d.position.file)},line=${d.position.line},col=${d.position.column},title=${escapeProperty(d.code)}`
    : ` title=${escapeProperty(d.code)}`;
  const text = d.hint ? `${d.message} (hint: ${d.hint})` : d.message;
  return `::${level}${props}::${escapeData(text)}\n`;
}

export function renderDiagnosticsMarkdown(list: readonly Diagnostic[]): string {
  if (list.length === 0) return '';
  const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const rows = list.map((d) => {
    const where = d.position
      ? `${d.position.file}:${d.position.line}:${d.position.column}`
      : (d.importName ?? '');
    return `| ${d.severity} | \`${d.code}\` | ${cell(where)} | ${cell(d.message)} | ${cell(d.hint ?? '')} |`;
  });
  return ['| severity | code | where | problem | what to do |', '|---|---|---|---|---|', ...rows, ''].join(
    '\n',
  );
}

/** The first 10 problems become annotations; GitHub shows only that many per step anyway. */
export const GITHUB_ANNOTATION_LIMIT = 10;

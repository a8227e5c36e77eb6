// `copernica-sync validate`: checks imports.yaml and its sources offline; exit 0 when valid, 78 when not.
import { resolve } from 'node:path';
import { displayPathFor } from '../../config/load-config.js';
import { validateConfigFile } from '../../config/validate-config-file.js';
import type { Diagnostic } from '../../core/diagnostic.js';
import { EXIT, type ExitCode } from '../../core/exit-codes.js';
import { countOf } from '../../core/plural.js';
import type { CommandContext } from '../context.js';
import { countDiagnostics, renderDiagnosticsMarkdown, writeDiagnostics } from '../reporters/diagnostics.js';
import { appendStepSummary } from '../reporters/step-summary.js';

export async function runValidate(ctx: CommandContext<{ allowOutside?: boolean }>): Promise<ExitCode> {
  const result = await validateConfigFile(ctx.global.config, {
    cwd: ctx.cwd,
    allowOutside: ctx.options.allowOutside === true,
    env: ctx.env,
  });
  const display = displayPathFor(resolve(ctx.cwd, ctx.global.config), ctx.cwd);
  reportValidation(ctx, display, result.diagnostics, result.config?.imports.length);
  return result.config ? EXIT.ok : EXIT.config;
}

function reportValidation(
  ctx: CommandContext,
  display: string,
  diagnostics: Diagnostic[],
  imports: number | undefined,
): void {
  const { format, color, quiet } = ctx.global;
  const counts = countDiagnostics(diagnostics);
  const out = format === 'text' ? ctx.io.stderr : ctx.io.stdout;
  writeDiagnostics(out, diagnostics, format, { color, quiet });
  if (format === 'github') {
    const heading = `### copernica-sync validate: ${display}\n\n`;
    appendStepSummary(
      ctx.env,
      diagnostics.length > 0 ? heading + renderDiagnosticsMarkdown(diagnostics) : `${heading}valid\n`,
    );
  }
  if (format === 'json') {
    const summary = {
      type: 'summary',
      version: 1,
      command: 'validate',
      file: display,
      valid: imports !== undefined,
      imports: imports ?? null,
      ...counts,
    };
    ctx.io.stdout.write(`${JSON.stringify(summary)}\n`);
    return;
  }
  ctx.io.stdout.write(`${renderSummary(display, imports, counts)}\n`);
}

export function renderSummary(
  display: string,
  imports: number | undefined,
  counts: { errors: number; warnings: number },
): string {
  const warnings = counts.warnings > 0 ? `, ${countOf(counts.warnings, 'warning')}` : '';
  if (imports !== undefined) return `${display}: ${countOf(imports, 'import')} valid${warnings}`;
  return `${display}: ${countOf(counts.errors, 'error')}${warnings}`;
}

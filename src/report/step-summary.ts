// Appends Markdown to $GITHUB_STEP_SUMMARY when GitHub Actions provides one.
import { appendFileSync } from 'node:fs';

export function appendStepSummary(env: NodeJS.ProcessEnv, markdown: string): void {
  const file = env.GITHUB_STEP_SUMMARY;
  if (!file || markdown.length === 0) return;
  appendFileSync(file, markdown.endsWith('\n') ? markdown : `${markdown}\n`);
}

// `copernica-sync init`: writes a starter imports.yaml (with the schema modeline) and a tiny example data file.
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { displayPathFor } from '../../config/load-config.js';
import {
  chooseSchemaReference,
  renderStarterConfig,
  STARTER_DATA,
  STARTER_DATA_PATH,
} from '../../config/starter-config.js';
import { CopernicaSyncError } from '../../core/errors.js';
import { EXIT, type ExitCode } from '../../core/exit-codes.js';
import type { CommandContext } from '../context.js';

export async function runInit(ctx: CommandContext<{ force?: boolean }>): Promise<ExitCode> {
  const file = resolve(ctx.cwd, ctx.global.config);
  const display = displayPathFor(file, ctx.cwd);
  if (existsSync(file) && ctx.options.force !== true) {
    throw new CopernicaSyncError('E_INIT_EXISTS', `${display} already exists; not overwriting it`, {
      hint: 'pass --force to replace it, or -c <file> to write somewhere else',
      exitCode: EXIT.usage,
    });
  }
  const dir = dirname(file);
  await mkdir(dir, { recursive: true });
  await writeFile(file, renderStarterConfig(chooseSchemaReference(dir)));
  const written = [display];
  // The example data is never overwritten: it may already be real data.
  const dataFile = join(dir, STARTER_DATA_PATH);
  if (!existsSync(dataFile)) {
    await mkdir(dirname(dataFile), { recursive: true });
    await writeFile(dataFile, STARTER_DATA);
    written.push(displayPathFor(dataFile, ctx.cwd));
  }
  if (!ctx.global.quiet) {
    ctx.io.stdout.write(
      `wrote ${written.join(' and ')}\nnext: edit it, then run \`copernica-sync validate\`\n`,
    );
  }
  return EXIT.ok;
}

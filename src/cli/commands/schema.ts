// `copernica-sync schema`: prints the JSON Schema of imports.yaml, for editors and other tools.
import { readSchemaText } from '../../config/schema-file.js';
import { EXIT, type ExitCode } from '../../core/exit-codes.js';
import type { CommandContext } from '../context.js';

export async function runSchema(ctx: CommandContext): Promise<ExitCode> {
  ctx.io.stdout.write(readSchemaText());
  return EXIT.ok;
}

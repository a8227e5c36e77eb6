// Reads imports.yaml from disk and parses it; a missing file is a diagnostic pointing at `init`.
import { readFile } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import { createDiagnostic } from '../core/diagnostic.js';
import { type ConfigResult, parseConfigText } from './parse-config-text.js';

export interface LoadConfigOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
}

export async function loadConfig(configPath: string, options: LoadConfigOptions): Promise<ConfigResult> {
  const file = resolve(options.cwd, configPath);
  const display = displayPathFor(file, options.cwd);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    return { config: undefined, diagnostics: [readFailure(display, error)] };
  }
  return parseConfigText(text, display, { file, env: options.env ?? process.env });
}

/** Relative to the working directory when the file is inside it, else absolute. */
export function displayPathFor(file: string, cwd: string): string {
  const rel = relative(cwd, file);
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? file : rel.split('\\').join('/');
}

function readFailure(display: string, error: unknown) {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') {
    return createDiagnostic('error', 'E_CONFIG_NOT_FOUND', `${display} not found`, {
      hint: 'run `copernica-sync init` to write a starter imports.yaml, or pass -c <file>',
    });
  }
  const reason = code === 'EISDIR' ? 'is a directory' : `cannot be read (${code ?? 'unknown error'})`;
  return createDiagnostic('error', 'E_CONFIG_READ', `${display} ${reason}`, {
    hint: 'pass -c <file> with a readable imports.yaml',
  });
}

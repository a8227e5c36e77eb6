// A watch-mode fixture: a temp directory with imports.yaml and data files, and an emulator it talks to.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type Emulator, startEmulator } from '../../../src/emulator/start-emulator.js';
import type { EmulatorSeed } from '../../../src/emulator/types.js';
import { createFixtureDir } from '../../helpers/cli.js';

export const TOKEN_ENV = 'WATCH_TEST_TOKEN';

export interface WatchFixture {
  dir: string;
  emulator: Emulator;
  env: Record<string, string>;
  write(rel: string, content: string): void;
  /** An editor's save: write a temp file beside it, then rename it over the original. */
  atomicWrite(rel: string, content: string): void;
  /** POSTs that created an import, so far (on the current emulator). */
  importPosts(): number;
  /** Stops the emulator (the API is down) until `restartEmulator`. */
  stopEmulator(): Promise<void>;
  /** A fresh emulator on the same port with the same token (the API is back). */
  restartEmulator(): Promise<void>;
  close(): Promise<void>;
}

export function importsYaml(url: string, imports: string): string {
  return [
    'version: 1',
    'copernica:',
    `  url: ${url}`,
    `  tokenEnv: ${TOKEN_ENV}`,
    '  timeout: 5s',
    '  retry:',
    '    attempts: 1',
    '    maxDelay: 100ms',
    'imports:',
    imports,
    '',
  ].join('\n');
}

export const CONTACTS = [
  '  contacts:',
  '    database: 1',
  '    keyFields: [Email]',
  '    source: data/*.csv',
].join('\n');

export function csv(...emails: string[]): string {
  return `Email,FirstName\n${emails.map((e, i) => `${e},Name${i}`).join('\n')}\n`;
}

export async function createWatchFixture(
  files: Record<string, string>,
  options: { importDelayMs?: number; port?: number; imports?: string; seed?: EmulatorSeed } = {},
): Promise<WatchFixture> {
  const emulator = await startEmulator({
    port: options.port ?? 0,
    importDelayMs: options.importDelayMs ?? 20,
    ...(options.seed ? { seed: options.seed } : {}),
  });
  const { dir, cleanup } = createFixtureDir({
    'imports.yaml': importsYaml(emulator.url, options.imports ?? CONTACTS),
    ...files,
  });
  const write = (rel: string, content: string) => {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), content);
  };
  const port = Number(new URL(emulator.url).port);
  let running = true;
  const fixture: WatchFixture = {
    dir,
    emulator,
    env: { [TOKEN_ENV]: emulator.token },
    write,
    atomicWrite(rel, content) {
      const temp = join(dir, `${rel}.swp`);
      writeFileSync(temp, content);
      renameSync(temp, join(dir, rel));
    },
    importPosts: () =>
      fixture.emulator.requests.filter(
        (r) => r.method === 'POST' && /import/.test(r.path) && r.status === 201,
      ).length,
    async stopEmulator() {
      running = false;
      await fixture.emulator.close();
    },
    async restartEmulator() {
      const token = fixture.emulator.token;
      fixture.emulator = await startEmulator({ port, token, importDelayMs: options.importDelayMs ?? 20 });
      running = true;
    },
    async close() {
      if (running) await fixture.emulator.close();
      cleanup();
    },
  };
  return fixture;
}

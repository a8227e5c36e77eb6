// End-to-end harness: a temp project (imports.yaml + data), an in-process emulator, and the built CLI spawned against it.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after } from 'node:test';
import { type Emulator, startEmulator } from '../../src/emulator/start-emulator.js';
import type { EmulatorSeed } from '../../src/emulator/types.js';
import type { StateFile } from '../../src/state/types.js';
import { type CliResult, createFixtureDir, runCliProcess } from '../helpers/cli.js';

/** Two databases: Newsletter (3 profiles, an Orders collection) and Leads (empty). */
export const SEED: EmulatorSeed = {
  databases: [
    {
      id: 1,
      name: 'Newsletter',
      fields: ['Email', 'Name', 'City'],
      collections: [{ name: 'Orders', fields: ['OrderID', 'Total'] }],
      profiles: [
        { fields: { Email: 'ann@example.com', Name: 'Ann', City: 'Delft' } },
        { fields: { Email: 'bob@example.com', Name: 'Bob', City: 'Gouda' } },
        { fields: { Email: 'cas@example.com', Name: 'Cas', City: 'Breda' } },
      ],
    },
    { id: 2, name: 'Leads', fields: ['Email', 'Name'] },
  ],
};

/** A database of `count` profiles for the live delete-share guard. */
export function seedWithProfiles(count: number): EmulatorSeed {
  const profiles = Array.from({ length: count }, (_, i) => ({
    fields: { Email: `p${i}@example.com`, Name: `P${i}` },
  }));
  return { databases: [{ id: 1, name: 'Big', fields: ['Email', 'Name'], profiles }] };
}

/** imports.yaml with fast retries; `body` is the YAML under `imports:` (indented by two spaces). */
export function importsYaml(body: string, copernica = ''): string {
  return [
    'version: 1',
    'copernica:',
    '  url: http://127.0.0.1:1', // never the real API; the tests set COPERNICA_API_URL to the emulator
    '  retry: { attempts: 3, maxDelay: 50ms }',
    '  timeout: 5s',
    copernica,
    'state: .state/state.json',
    'imports:',
    body,
  ]
    .filter((line) => line.length > 0)
    .join('\n');
}

export interface Project {
  dir: string;
  emulator: Emulator;
  /** Spawns the CLI in the project with the emulator's URL and token in the environment. */
  cli(args: string[], env?: Record<string, string | undefined>): Promise<CliResult>;
  write(rel: string, content: string): void;
  remove(rel: string): void;
  statePath: string;
  state(): StateFile;
  /** POST /v3/imports requests the emulator has seen. */
  posts(): number;
  close(): Promise<void>;
}

export interface ProjectOptions {
  seed?: EmulatorSeed;
  importDelayMs?: number;
}

export async function startProject(
  files: Record<string, string>,
  options: ProjectOptions = {},
): Promise<Project> {
  const emulator = await startEmulator({
    port: 0,
    importDelayMs: options.importDelayMs ?? 20,
    seed: options.seed ?? SEED,
  });
  const fixture = createFixtureDir(files);
  const statePath = join(fixture.dir, '.state', 'state.json');
  return {
    dir: fixture.dir,
    emulator,
    statePath,
    cli: async (args, env = {}) => {
      const result = await runCliProcess(args, {
        cwd: fixture.dir,
        env: { COPERNICA_API_URL: emulator.url, COPERNICA_ACCESS_TOKEN: emulator.token, ...env },
      });
      assertNoToken(result, emulator.token);
      return result;
    },
    write: (rel, content) => writeFileSync(join(fixture.dir, rel), content),
    remove: (rel) => rmSync(join(fixture.dir, rel), { force: true }),
    state: () =>
      existsSync(statePath) ? (JSON.parse(readFileSync(statePath, 'utf8')) as StateFile) : emptyState(),
    posts: () => emulator.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/imports')).length,
    close: async () => {
      await emulator.close();
      fixture.cleanup();
    },
  };
}

/** Every run of every e2e test checks this: the token shows only in GitHub's `::add-mask::` command. */
function assertNoToken(result: CliResult, token: string): void {
  const output = `${result.stdout}\n${result.stderr}`.replace(`::add-mask::${token}`, '');
  if (output.includes(token)) throw new Error('the access token appeared in the CLI output');
}

function emptyState(): StateFile {
  return { version: 1, imports: {}, hashCache: {} };
}

/** NDJSON output parsed line by line. */
export function parseNdjson(text: string): Array<Record<string, unknown>> {
  return text
    .split('\n')
    .filter((line) => line.trim().length > 0)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** Profiles of a database as `Email -> fields`, for compact assertions. */
export function profilesByEmail(
  emulator: Emulator,
  database: string | number,
): Map<string, Record<string, string>> {
  return new Map(emulator.listProfiles(database).map((p) => [p.fields.Email ?? '', p.fields]));
}

/** The plan line of one import in text output, e.g. `new  a  never applied`. */
export function planLine(stdout: string, name: string): string {
  const line = stdout.split('\n').find((l) => new RegExp(`^\\S+\\s+${name}(\\s|$)`).test(l));
  return line ?? '';
}

export function planHashOf(stdout: string): string {
  return /Plan hash ([0-9a-f]{64})/.exec(stdout)?.[1] ?? '';
}

/** The projects of one test file, all closed after its tests: `const project = useProjects();`. */
export function useProjects(): (
  files: Record<string, string>,
  options?: Parameters<typeof startProject>[1],
) => Promise<Project> {
  const projects: Project[] = [];
  after(async () => {
    for (const p of projects) await p.close();
  });
  return async (files, options) => {
    const p = await startProject(files, options);
    projects.push(p);
    return p;
  };
}

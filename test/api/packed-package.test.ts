// The Node API as a user gets it: the packed tarball installed in a temp project, imported by name, type-checked.
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { execa } from 'execa';
import { createFixtureDir, REPO_ROOT } from '../helpers/cli.js';

let project: { dir: string; cleanup: () => void };

/** What a user writes: plain ESM importing the package by name. Its stdout is only what it prints itself. */
const USE_JS = `
import { validate, plan, CopernicaSyncError } from 'copernica-sync';
const valid = await validate({ config: 'imports.yaml' });
const planned = await plan({ config: 'imports.yaml' });
let error;
try {
  await plan({ config: 'missing.yaml' });
} catch (e) {
  error = { isClass: e instanceof CopernicaSyncError, code: e.code, exitCode: e.exitCode, hint: typeof e.hint };
}
process.stdout.write(JSON.stringify({ valid, planned, error }));
`;

/** The same in TypeScript, to prove the .d.ts types come through `exports`. */
const USE_TS = `
import { apply, plan, validate, type PlanImportEvent, type PlanResult, type ValidateResult } from 'copernica-sync';
export async function check(): Promise<number> {
  const valid: ValidateResult = await validate({ config: 'imports.yaml', onEvent: (e) => void e.type });
  const result: PlanResult = await plan({ config: 'imports.yaml', only: ['contacts'], remote: false });
  const first: PlanImportEvent | undefined = result.imports[0];
  const status: string | undefined = first?.status;
  const applied = await apply({ config: 'imports.yaml', dryRun: true, waitTimeout: '1m' });
  return (valid.valid ? 1 : 0) + (status ? 1 : 0) + applied.exitCode;
}
`;

before(async () => {
  project = createFixtureDir({
    'imports.yaml':
      'version: 1\nimports:\n  contacts: { database: Contacts, keyFields: [Email], source: contacts.csv }\n',
    'contacts.csv': 'Email,Name\nada@example.com,Ada\n',
    'use.mjs': USE_JS,
    'use.ts': USE_TS,
    'package.json': '{ "name": "user-project", "type": "module", "private": true }\n',
    'tsconfig.json': JSON.stringify({
      compilerOptions: {
        target: 'ES2023',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        noEmit: true,
        skipLibCheck: false,
        types: ['node'],
        typeRoots: [join(REPO_ROOT, 'node_modules', '@types')],
      },
      files: ['use.ts'],
    }),
  });
  const packDir = join(project.dir, 'pack');
  mkdirSync(packDir);
  await execa('npm', ['pack', '--silent', '--pack-destination', packDir], { cwd: REPO_ROOT });
  const [tarball] = readdirSync(packDir).filter((f) => f.endsWith('.tgz'));
  const installed = join(project.dir, 'node_modules', 'copernica-sync');
  mkdirSync(installed, { recursive: true });
  await execa('tar', ['-xzf', join(packDir, tarball ?? ''), '-C', installed, '--strip-components=1']);
  // Its dependencies, as npm would have installed them (no network in tests).
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(installed, 'node_modules'), 'dir');
});
after(() => project.cleanup());

describe('the packed package', () => {
  it('validate and plan return the documented shapes and print nothing; failures throw CopernicaSyncError', async () => {
    const run = await execa(process.execPath, ['use.mjs'], { cwd: project.dir, reject: false });
    assert.equal(run.exitCode, 0, String(run.stderr));
    assert.equal(run.stderr, '', 'the API writes nothing to stderr');
    const out = JSON.parse(String(run.stdout)) as Record<string, Record<string, unknown>>;
    assert.deepEqual(out.valid, { valid: true, diagnostics: [] });
    const planned = out.planned as {
      imports: Array<Record<string, unknown>>;
      hash: string;
      diagnostics: unknown[];
    };
    assert.match(planned.hash, /^[0-9a-f]{64}$/);
    assert.deepEqual(planned.diagnostics, []);
    assert.equal(planned.imports.length, 1);
    assert.deepEqual(
      [
        planned.imports[0]?.type,
        planned.imports[0]?.version,
        planned.imports[0]?.name,
        planned.imports[0]?.status,
      ],
      ['import', 1, 'contacts', 'new'],
    );
    assert.deepEqual(out.error, { isClass: true, code: 'E_CONFIG', exitCode: 78, hint: 'undefined' });
  });

  it('type-checks in a .ts file through the package exports', async () => {
    const tsc = join(REPO_ROOT, 'node_modules', '.bin', 'tsc');
    const run = await execa(tsc, ['-p', 'tsconfig.json'], { cwd: project.dir, reject: false });
    assert.equal(run.exitCode, 0, `${String(run.stdout)}${String(run.stderr)}`);
  });

  it('a type error in the user code is caught (the check is real)', async () => {
    writeFileSync(
      join(project.dir, 'use.ts'),
      `import { plan } from 'copernica-sync';\nexport const x: number = plan;\n`,
    );
    const tsc = join(REPO_ROOT, 'node_modules', '.bin', 'tsc');
    const run = await execa(tsc, ['-p', 'tsconfig.json'], { cwd: project.dir, reject: false });
    assert.notEqual(run.exitCode, 0);
    assert.match(String(run.stdout), /use\.ts/);
    writeFileSync(join(project.dir, 'use.ts'), USE_TS);
  });
});

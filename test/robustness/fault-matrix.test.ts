// Fault matrix: every injected fault on POST /imports × every action; the retry policy decides, and nothing is imported twice.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FaultKind } from '../../src/emulator/faults.js';
import { type Project, startProject } from '../e2e/helpers.js';
import { runCliInProcess } from './run-in-process.js';

/** Refused before anything ran: always safe to retry. */
const REFUSED: FaultKind[] = ['html-503', 'html-502', '429'];
/**
 * The emulator drops the connection before reading the body, but a small body has already left the client:
 * from its side the outcome is unknown, so it acts as for a lost answer (retries only idempotent actions).
 */
const DROPPED: FaultKind[] = ['drop-before-response'];
/** The request may have run and the answer was lost: only idempotent actions retry. */
const UNKNOWN: FaultKind[] = ['html-504', 'drop-after-body', 'slow-headers'];
const ACTIONS = ['add', 'update', 'update or add', 'ignore or add', 'delete'] as const;
/** Newsletter starts with ann, bob, cas; the source holds ann (existing) and dan (new). */
const PROFILES_AFTER: Record<(typeof ACTIONS)[number], number> = {
  add: 5,
  update: 3,
  'update or add': 4,
  'ignore or add': 4,
  delete: 2,
};
const TIMEOUT_MS = 400;

function config(action: string): string {
  const keys = action === 'add' ? '' : ', keyFields: [Email]';
  return [
    'version: 1',
    'copernica:',
    '  url: http://127.0.0.1:1',
    '  retry: { attempts: 3, maxDelay: 50ms }',
    `  timeout: ${TIMEOUT_MS}ms`,
    'state: .state/state.json',
    'imports:',
    `  people: { database: Newsletter, action: ${action}${keys}, source: p.csv, safety: { minRows: 0 } }`,
  ].join('\n');
}

function isRetried(kind: FaultKind, action: string): boolean {
  return REFUSED.includes(kind) || action !== 'add';
}

function postsTo(p: Project): Array<{ status: number; fault?: string }> {
  return p.emulator.requests.filter((r) => r.method === 'POST' && r.path === '/v3/imports');
}

type Runner = 'in-process' | 'spawned';

async function runCase(kind: FaultKind, action: (typeof ACTIONS)[number], runner: Runner): Promise<void> {
  const p = await startProject(
    { 'imports.yaml': config(action), 'p.csv': 'Email,Name\nann@example.com,Annie\ndan@example.com,Dan\n' },
    { importDelayMs: 1 },
  );
  try {
    p.emulator.faults.next(1, kind, {
      method: 'POST',
      path: '/v3/imports',
      retryAfterSeconds: 1,
      delayMs: TIMEOUT_MS * 2,
    });
    const env = { COPERNICA_API_URL: p.emulator.url, COPERNICA_ACCESS_TOKEN: p.emulator.token };
    const r =
      runner === 'spawned'
        ? await p.cli(['apply', '--allow-destructive'])
        : await runCliInProcess(['apply', '--allow-destructive'], { cwd: p.dir, env });
    const output = `${r.stdout}\n${r.stderr}`;
    await waitForJobs(p);
    const processed = p.emulator.listImports().length;
    const retried = isRetried(kind, action);
    if (retried) {
      assert.equal(r.exitCode, 0, output);
      assert.equal(postsTo(p).length, 2, 'one failed try, one retry');
      // A refused or dropped request never ran; a lost answer ran once, and the idempotent retry ran it again.
      assert.equal(processed, UNKNOWN.includes(kind) ? 2 : 1);
      assert.equal(p.state().imports.people?.outcome, 'finished');
    } else {
      assert.equal(r.exitCode, 1, output);
      assert.match(output, /may or may not have been imported/);
      assert.equal(postsTo(p).length, 1, 'an add with an unknown outcome is never re-sent');
      assert.ok(processed <= 1);
      assert.equal(p.state().imports.people?.outcome, 'unknown');
    }
    assert.doesNotMatch(output, /^\s+at .+[:(]/m, 'no stack trace');
    assert.ok(!output.includes(p.emulator.token), 'the token appeared in the output');
    // Profiles prove the data went in exactly once (or, for idempotent retries, that twice changed nothing).
    assert.equal(
      p.emulator.listProfiles('Newsletter').length,
      retried ? PROFILES_AFTER[action] : 3 + processed * 2,
    );
  } finally {
    await p.close();
  }
}

/** Imports the emulator accepted but whose answer was lost (slow-headers) run after the CLI exits. */
async function waitForJobs(p: Project): Promise<void> {
  const deadline = Date.now() + 5000;
  const pending = () =>
    p.emulator.requests.some((r) => r.fault === 'slow-headers' && r.status === 0) ||
    p.emulator.listImports().some((i) => i.lastrun === false && i.lasterror === false);
  while (pending() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('fault matrix on POST /imports', { concurrency: 4 }, () => {
  for (const kind of [...REFUSED, ...DROPPED, ...UNKNOWN]) {
    for (const action of ACTIONS) {
      const expected = isRetried(kind, action) ? 'retried, exit 0' : 'not retried, exit 1';
      it(`${kind} × ${action}: ${expected}, no import twice`, () => runCase(kind, action, 'in-process'));
    }
  }
});

describe('fault matrix through the built CLI (spot checks)', { concurrency: 2 }, () => {
  it('html-503 × update or add: retried, exit 0', () => runCase('html-503', 'update or add', 'spawned'));
  it('html-504 × add: not retried, exit 1', () => runCase('html-504', 'add', 'spawned'));
});

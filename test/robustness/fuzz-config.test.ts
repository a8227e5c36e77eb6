// Fuzzing imports.yaml: thousands of seeded mutations of valid files, each ending in a config or positioned E_ diagnostics.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseConfigText } from '../../src/config/parse-config-text.js';
import { REPO_ROOT } from '../helpers/cli.js';
import { createRng, runWithinBudget } from '../helpers/prng.js';
import { contractViolation } from './config-contract.js';
import { mutateConfig } from './mutate-config.js';

const CORPUS_DIR = join(REPO_ROOT, 'test', 'fixtures', 'robustness', 'config');
const CORPUS = readdirSync(CORPUS_DIR)
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .map((f) => readFileSync(join(CORPUS_DIR, f), 'utf8'));
const FILE = '/nonexistent/project/imports.yaml';
const SEED = 20261128;
/** One case this slow would be a hang in disguise (an alias bomb, a backtracking regex). */
const SLOW_CASE_MS = 1000;

describe('fuzzing imports.yaml in-process', () => {
  it('every corpus file is valid before mutation', () => {
    assert.ok(CORPUS.length >= 3);
    for (const text of CORPUS) {
      const result = parseConfigText(text, 'imports.yaml', { file: FILE, env: {} });
      assert.deepEqual(
        result.diagnostics.filter((d) => d.severity === 'error'),
        [],
      );
    }
  });

  it('thousands of mutations: a config or positioned diagnostics, never a throw or a hang', (t) => {
    const rng = createRng(SEED);
    let invalid = 0;
    const yamlWarnings = silenceProcessWarnings();
    const checkOne = (index: number): void => {
      const text = mutateConfig(rng.pick(CORPUS), rng);
      const started = Date.now();
      let result: ReturnType<typeof parseConfigText>;
      try {
        result = parseConfigText(text, 'imports.yaml', { file: FILE, env: {} });
      } catch (error) {
        assert.fail(`case ${index} threw ${String(error)}\n--- input ---\n${text}`);
      }
      const took = Date.now() - started;
      assert.ok(took < SLOW_CASE_MS, `case ${index} took ${took} ms\n--- input ---\n${text}`);
      const violation = contractViolation(result.diagnostics, result.config !== undefined);
      assert.equal(violation, undefined, `case ${index}: ${violation}\n--- input ---\n${text}`);
      if (!result.config) invalid++;
    };
    let ran = 0;
    try {
      ran = runWithinBudget(3000, 8000, checkOne);
    } finally {
      yamlWarnings.restore();
    }
    t.diagnostic(
      `${ran} cases, ${invalid} invalid, ${yamlWarnings.count()} process warnings from yaml (reported)`,
    );
    assert.ok(ran >= 1000, `only ${ran} cases ran within the budget`);
    assert.ok(invalid > ran / 4, 'the mutations should break most files');
  });
});

/** The yaml package warns through process.emitWarning for collection keys; count them instead of flooding the output. */
function silenceProcessWarnings(): { count(): number; restore(): void } {
  const original = process.emitWarning;
  let count = 0;
  process.emitWarning = (() => {
    count++;
  }) as typeof process.emitWarning;
  return {
    count: () => count,
    restore: () => {
      process.emitWarning = original;
    },
  };
}

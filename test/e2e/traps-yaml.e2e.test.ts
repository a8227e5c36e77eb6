// Issue #13, YAML: merge keys and x- anchor holders work end to end; an unclosed quote is reported where it opens.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EXIT } from '../../src/core/exit-codes.js';
import { importsYaml, parseNdjson, useProjects } from './helpers.js';

const project = useProjects();

const CSV = 'Email,Name\nann@example.com,Ann\n';

/** Two imports sharing options through anchors under x- keys. */
const MERGED = [
  'x-people: &people',
  '  database: Newsletter',
  '  keyFields: [Email]',
  'x-leads: &leads { database: Leads, action: add }',
  importsYaml(
    [
      '  people:',
      '    <<: *people',
      '    source: data/people.csv',
      '  leads:',
      '    <<: [*leads, *people]',
      '    source: data/people.csv',
    ].join('\n'),
  ),
].join('\n');

describe('YAML traps (issue #13)', () => {
  it('validate: merge keys and a top-level x- holder are a valid file (exit 0)', async () => {
    const p = await project({ 'imports.yaml': MERGED, 'data/people.csv': CSV });
    const r = await p.cli(['validate']);
    assert.equal(r.exitCode, EXIT.ok, r.stderr);
    assert.equal(r.stderr, '');
  });

  it('plan uses the merged values', async () => {
    const p = await project({ 'imports.yaml': MERGED, 'data/people.csv': CSV });
    const r = await p.cli(['plan', '--format', 'json']);
    assert.equal(r.exitCode, EXIT.ok, r.stderr);
    const imports = parseNdjson(r.stdout).filter((e) => e.type === 'import');
    assert.deepEqual(
      imports.map((e) => [e.name, e.database, e.action, e.rows]),
      [
        ['leads', 'Leads', 'add', 1],
        ['people', 'Newsletter', 'update or add', 1],
      ],
    );
    assert.equal(p.posts(), 0);
  });

  it('validate: an unclosed quote is reported at the line and column where it opens (exit 78)', async () => {
    const text = importsYaml(
      [
        '  people:',
        '    description: "Newsletter subscribers',
        '    database: Newsletter',
        '    keyFields: [Email]',
        '    source: data/people.csv',
      ].join('\n'),
    );
    const p = await project({ 'imports.yaml': text, 'data/people.csv': CSV });
    const line = text.split('\n').findIndex((l) => l.includes('description')) + 1;
    const r = await p.cli(['validate']);
    assert.equal(r.exitCode, EXIT.config, r.stderr);
    assert.match(r.stderr, new RegExp(`^imports\\.yaml:${line}:18 error E_CONFIG_YAML `, 'm'));
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  });

  it('validate: a wrong value merged from an anchor is reported in the anchor (exit 78)', async () => {
    const text = MERGED.replace('action: add', 'action: upsert');
    const column = (text.split('\n')[3] ?? '').indexOf('upsert') + 1;
    const p = await project({ 'imports.yaml': text, 'data/people.csv': CSV });
    const r = await p.cli(['validate', '--format', 'json']);
    assert.equal(r.exitCode, EXIT.config, r.stderr);
    const diagnostics = parseNdjson(r.stdout).filter((e) => e.type === 'diagnostic');
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.position]),
      [['E_CONFIG_SCHEMA', { file: 'imports.yaml', line: 4, column }]],
    );
  });
});

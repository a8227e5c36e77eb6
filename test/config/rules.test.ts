import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeUrlProblem, looksLikeToken } from '../../src/config/rules/copernica-rules.js';
import { findStronglyConnected } from '../../src/config/rules/depends-rules.js';
import { editDistance, suggestClosest } from '../../src/config/suggest.js';

describe('findStronglyConnected', () => {
  it('finds each cycle as one component and leaves acyclic nodes alone', () => {
    const graph = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['a', 'missing']],
      ['e', ['e']],
      ['f', []],
    ]);
    const components = findStronglyConnected(graph).map((c) => [...c].sort());
    assert.deepEqual(components.sort(), [['a', 'b', 'c'], ['d'], ['e'], ['f']]);
  });
});

describe('suggestClosest', () => {
  it('suggests a near key and stays quiet for far ones', () => {
    assert.equal(suggestClosest('srouce', ['source', 'command']), 'source');
    assert.equal(suggestClosest('zz', ['a', 'contacts']), undefined);
    assert.equal(editDistance('kitten', 'sitting'), 3);
  });
});

describe('looksLikeToken', () => {
  const cases: Array<[string, boolean]> = [
    ['COPERNICA_ACCESS_TOKEN', false],
    ['MY_TOKEN_2', false],
    ['copernica_token', false],
    ['abcdef0123456789abcdef0123456789', true],
    ['0123456789abcdef0123456789abcdef', true],
    ['eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln', true],
  ];
  for (const [value, expected] of cases) {
    it(`${value.slice(0, 12)}… → ${expected}`, () => assert.equal(looksLikeToken(value), expected));
  }
});

describe('describeUrlProblem', () => {
  it('accepts https anywhere and http only to loopback hosts', () => {
    assert.equal(describeUrlProblem('https://api.copernica.com'), undefined);
    assert.equal(describeUrlProblem('http://localhost:8787'), undefined);
    assert.equal(describeUrlProblem('http://127.0.0.1:8787/v3'), undefined);
    assert.equal(describeUrlProblem('http://[::1]:8787'), undefined);
    assert.match(describeUrlProblem('http://api.copernica.com') ?? '', /https/);
    assert.match(describeUrlProblem('ftp://x') ?? '', /https/);
    assert.match(describeUrlProblem('not a url') ?? '', /not a valid URL/);
  });
});

describe('dependsOn suggestions', () => {
  it('never suggests the import itself for an unknown dependency', async () => {
    const { parseConfigText } = await import('../../src/config/parse-config-text.js');
    const text =
      'version: 1\nimports:\n  b:\n    database: 1\n    keyFields: [E]\n    location: https://x.example/a.csv\n    dependsOn: [c]\n';
    const result = parseConfigText(text, 'imports.yaml', { file: '/x/imports.yaml', env: {} });
    const unknown = result.diagnostics.find((d) => d.code === 'E_CONFIG_DEPENDS_UNKNOWN');
    assert.equal(unknown?.position?.line, 7);
    assert.doesNotMatch(unknown?.hint ?? '', /did you mean 'b'/);
  });
});

// How diagnostics print: text says where, which import and what to do; NDJSON and GitHub commands stay parseable.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Diagnostic } from '../../src/core/diagnostic.js';
import {
  GITHUB_ANNOTATION_LIMIT,
  renderDiagnosticGithub,
  renderDiagnosticText,
} from '../../src/report/render-diagnostics.js';
import { captureReporter } from './capture.js';

const keyMissing: Diagnostic = {
  severity: 'error',
  code: 'E_SOURCE_KEY_MISSING',
  message: 'key field "Email" is not in the header',
  position: { file: 'data/excel.csv', line: 1, column: 1 },
  importName: 'contacts',
  hint: 'add the column, or change keyFields',
};

/** What a reporter prints for these diagnostics, on stdout (json, github) or stderr (text). */
function written(list: Diagnostic[], format: 'text' | 'json' | 'github', quiet = false): string {
  const { reporter, out, err } = captureReporter({ format, quiet });
  reporter.diagnostics(list);
  return format === 'text' ? err() : out();
}

describe('diagnostics reporter', () => {
  it('text: the place, the import (a data file may belong to several), the problem, then the hint', () => {
    assert.equal(
      renderDiagnosticText(keyMissing, false),
      'data/excel.csv:1:1 error E_SOURCE_KEY_MISSING [contacts] key field "Email" is not in the header\n' +
        '  hint: add the column, or change keyFields\n',
    );
    const { position: _position, hint: _hint, ...bare } = keyMissing;
    assert.equal(
      renderDiagnosticText(bare, false),
      'error E_SOURCE_KEY_MISSING [contacts] key field "Email" is not in the header\n',
    );
  });

  it('json: one parseable object per line; quiet keeps only errors', () => {
    const warning: Diagnostic = { severity: 'warning', code: 'E_SOURCE_EMPTY', message: 'no data rows' };
    const lines = written([keyMissing, warning], 'json').trim().split('\n');
    assert.deepEqual(
      lines.map((line) => (JSON.parse(line) as { code: string }).code),
      ['E_SOURCE_KEY_MISSING', 'E_SOURCE_EMPTY'],
    );
    assert.equal(written([keyMissing, warning], 'json', true).trim().split('\n').length, 1);
  });

  it('github: escaped workflow commands, the first ten as annotations and the rest as text', () => {
    const tricky = {
      ...keyMissing,
      message: 'a, b: 100%\nnext',
      position: { file: 'a:b,c.csv', line: 2, column: 3 },
    };
    assert.equal(
      renderDiagnosticGithub(tricky),
      '::error file=a%3Ab%2Cc.csv,line=2,col=3,title=E_SOURCE_KEY_MISSING::a, b: 100%25%0Anext (hint: add the column, or change keyFields)\n',
    );
    const many = Array.from({ length: GITHUB_ANNOTATION_LIMIT + 2 }, () => keyMissing);
    const lines = written(many, 'github').trim().split('\n');
    assert.equal(lines.filter((line) => line.startsWith('::error ')).length, GITHUB_ANNOTATION_LIMIT);
    assert.equal(lines.filter((line) => line.startsWith('data/excel.csv:1:1 error')).length, 2);
  });
});

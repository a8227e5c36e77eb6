import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ApplyEvent } from '../../src/apply/events.js';
import type { ReporterOptions } from '../../src/report/reporter.js';
import { captureReporter } from './capture.js';

const EVENTS: ApplyEvent[] = [
  { type: 'import-start', name: 'news', action: 'update or add', database: 1, rows: 3 },
  { type: 'upload-progress', name: 'news', bytes: 2 * 1024 * 1024 },
  { type: 'import-created', name: 'news', id: '42' },
  { type: 'import-progress', name: 'news', id: '42', status: 'running', processed: 1, total: 4 },
  { type: 'import-finished', name: 'news', outcome: 'finished', ids: ['42'], durationMs: 1500 },
];

function run(options: Partial<ReporterOptions>, events: ApplyEvent[] = EVENTS) {
  const { reporter, out, err } = captureReporter(options);
  for (const event of events) reporter.event(event);
  return { out: out(), err: err() };
}

describe('reporters: apply events', () => {
  it('redraws upload and import progress on a terminal, then clears it before the next line', () => {
    const { out, err } = run({ isTTY: true });
    const redraw = '\r\u001b[2K';
    assert.ok(err.includes(`${redraw}news: uploaded 2.0 MiB`), JSON.stringify(err));
    assert.ok(err.includes(`${redraw}news: import 42 running 25%`), JSON.stringify(err));
    assert.match(out, /^news: created Copernica import 42$/m);
    assert.match(out, /^✓ news: finished in 1\.5s$/m);
  });

  it('prints plain lines and no progress when stderr is not a terminal', () => {
    const { out, err } = run({ isTTY: false });
    assert.equal(err, '');
    assert.equal(out.split('\n').filter(Boolean).length, 3);
    assert.match(out, /^news: update or add 3 rows into database 1$/m);
  });

  it('counts in English: 1 row, 2 rows', () => {
    const { out } = run({}, [{ type: 'import-start', name: 'one', action: 'add', database: 2, rows: 1 }]);
    assert.equal(out, 'one: add 1 row into database 2\n');
  });

  it('says a delete takes rows from a database, never into it', () => {
    const { out } = run({}, [
      { type: 'import-start', name: 'gone', action: 'delete', database: 1, rows: 10 },
    ]);
    assert.equal(out, 'gone: delete 10 rows from database 1\n');
  });

  it('quiet: only problems, never progress or success lines', () => {
    const failed: ApplyEvent = {
      type: 'import-finished',
      name: 'x',
      outcome: 'failed',
      ids: [],
      durationMs: 1,
      code: 'E_API_STATUS',
    };
    const { out, err } = run({ quiet: true, isTTY: true }, [...EVENTS, failed]);
    assert.equal(err, '');
    assert.equal(out, '✗ x: failed E_API_STATUS\n');
  });

  it('writes NDJSON with a version for --format json, progress included', () => {
    const { out } = run({ format: 'json' });
    const lines = out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; version: number });
    assert.deepEqual(
      lines.map((l) => l.type),
      EVENTS.map((e) => e.type),
    );
    assert.ok(lines.every((l) => l.version === 1));
  });

  it('annotates a failed import on stdout for GitHub', () => {
    const failed: ApplyEvent = {
      type: 'import-finished',
      name: 'news',
      outcome: 'failed',
      ids: [],
      durationMs: 5,
      code: 'E_API_STATUS',
      message: 'bad',
    };
    const { out } = run({ format: 'github' }, [failed]);
    assert.match(out, /^::error title=E_API_STATUS::news: failed: bad/m);
  });
});

import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import type { ApplyEvent } from '../../src/apply/events.js';
import { type ApplyReporterOptions, createApplyReporter } from '../../src/cli/reporters/apply-events.js';

function capture(): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk, _encoding, done) {
      text += String(chunk);
      done();
    },
  });
  return { stream, text: () => text };
}

const EVENTS: ApplyEvent[] = [
  { type: 'import-start', name: 'news', action: 'update or add', database: 1, rows: 3 },
  { type: 'upload-progress', name: 'news', bytes: 2 * 1024 * 1024 },
  { type: 'import-created', name: 'news', id: '42' },
  { type: 'import-progress', name: 'news', id: '42', status: 'running', processed: 1, total: 4 },
  { type: 'import-finished', name: 'news', outcome: 'succeeded', ids: ['42'], durationMs: 1500 },
];

function run(options: Partial<ApplyReporterOptions>, events: ApplyEvent[] = EVENTS) {
  const out = capture();
  const err = capture();
  const report = createApplyReporter(out.stream, err.stream, {
    format: 'text',
    color: false,
    isTTY: false,
    quiet: false,
    ...options,
  });
  for (const event of events) report(event);
  return { out: out.text(), err: err.text() };
}

describe('apply event reporter', () => {
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

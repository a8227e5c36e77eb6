// The health server's answers, the watch log's line formats, and the CLI option parsing of `watch`.
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, test } from 'node:test';
import { request } from 'undici';
import { toWatchOptions } from '../../src/cli/commands/watch.js';
import { createLineWriter } from '../../src/report/line-writer.js';
import { startHealthServer } from '../../src/watch/health-server.js';
import { createWatchLog } from '../../src/watch/watch-log.js';
import { captureReporter } from '../report/capture.js';

const at = () => new Date('2026-01-02T03:04:05.678Z');

function collect(stream: PassThrough): () => string {
  let text = '';
  stream.on('data', (chunk: Buffer) => {
    text += chunk.toString();
  });
  return () => text;
}

describe('health server', () => {
  test('/healthz follows health, /status returns the JSON, others 404/405', async (t) => {
    let ok = true;
    const server = await startHealthServer('127.0.0.1', 0, {
      healthy: () => (ok ? { ok } : { ok, reason: 'imports.yaml is invalid' }),
      status: () => ({ imports: [{ name: 'a' }] }),
    });
    t.after(() => server.close());
    const get = async (path: string, method: 'GET' | 'POST' = 'GET') => {
      const response = await request(`${server.url}${path}`, { method });
      return { status: response.statusCode, body: await response.body.json() };
    };
    assert.deepEqual(await get('/healthz'), { status: 200, body: { ok: true } });
    ok = false;
    assert.deepEqual(await get('/healthz'), {
      status: 503,
      body: { ok: false, reason: 'imports.yaml is invalid' },
    });
    assert.deepEqual(await get('/status'), { status: 200, body: { imports: [{ name: 'a' }] } });
    assert.equal((await get('/other')).status, 404);
    assert.equal((await get('/status', 'POST')).status, 405);
  });
});

describe('watch log', () => {
  const stamped = { timestamps: () => at().toISOString() };

  test('text: one timestamped line per event, problems on stderr', () => {
    const { reporter, out, err } = captureReporter(stamped);
    const log = createWatchLog(reporter);
    log.event('ready', 'watch: ready');
    log.problem('config-invalid', 'imports.yaml is invalid');
    assert.equal(out(), '2026-01-02T03:04:05.678Z watch: ready\n');
    assert.equal(err(), '2026-01-02T03:04:05.678Z imports.yaml is invalid\n');
  });

  test('json: one NDJSON object per event, all on stdout', () => {
    const { reporter, out } = captureReporter({ ...stamped, format: 'json' });
    const log = createWatchLog(reporter);
    log.event('file', 'change data/a.csv (a)', { path: 'data/a.csv' });
    log.problem('refused', 'a: refused', { name: 'a' });
    const events = out()
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(events[0], {
      type: 'watch',
      event: 'file',
      time: '2026-01-02T03:04:05.678Z',
      message: 'change data/a.csv (a)',
      path: 'data/a.csv',
      version: 1,
    });
    assert.equal(events[1]?.event, 'refused');
  });

  test('every line of a multi-line text (a plan, a hint) carries the time', () => {
    const target = new PassThrough();
    const text = collect(target);
    createLineWriter(() => at().toISOString())(target, 'Plan: 1 to run\n  hint: x\nlast');
    assert.equal(
      text(),
      '2026-01-02T03:04:05.678Z Plan: 1 to run\n2026-01-02T03:04:05.678Z   hint: x\n2026-01-02T03:04:05.678Z last\n',
    );
  });
});

describe('watch options', () => {
  test('defaults: 1 s debounce, 127.0.0.1, 1 min backoff up to 15 min, 30 s shutdown', () => {
    const o = toWatchOptions({});
    assert.equal(o.debounceMs, 1000);
    assert.equal(o.healthHost, '127.0.0.1');
    assert.equal(o.healthPort, undefined);
    assert.equal(o.backoffBaseMs, 60_000);
    assert.equal(o.backoffMaxMs, 900_000);
    assert.equal(o.shutdownTimeoutMs, 30_000);
    assert.equal(o.poll, false);
  });

  test('parses durations and ports; bad values are usage errors', () => {
    const o = toWatchOptions({ debounce: '250', healthPort: '0', retryBackoff: '2s', poll: true });
    assert.deepEqual([o.debounceMs, o.healthPort, o.backoffBaseMs, o.poll], [250, 0, 2000, true]);
    assert.throws(() => toWatchOptions({ debounce: 'soon' }), { code: 'E_USAGE' });
    assert.throws(() => toWatchOptions({ healthPort: '70000' }), { code: 'E_USAGE' });
  });
});

// The health server's answers, the watch log's line formats, and the CLI option parsing of `watch`.
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, test } from 'node:test';
import { request } from 'undici';
import { toWatchOptions } from '../../src/cli/commands/watch.js';
import { startHealthServer } from '../../src/watch/health-server.js';
import { createStampedStream, createWatchLog } from '../../src/watch/watch-log.js';

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
  test('text: one timestamped line per event, problems on stderr', () => {
    const out = new PassThrough();
    const err = new PassThrough();
    const [stdout, stderr] = [collect(out), collect(err)];
    const log = createWatchLog(out, err, 'text', at);
    log.event('ready', 'watch: ready');
    log.problem('config-invalid', 'imports.yaml is invalid');
    assert.equal(stdout(), '2026-01-02T03:04:05.678Z watch: ready\n');
    assert.equal(stderr(), '2026-01-02T03:04:05.678Z imports.yaml is invalid\n');
  });

  test('json: one NDJSON object per event, all on stdout', () => {
    const out = new PassThrough();
    const stdout = collect(out);
    const log = createWatchLog(out, new PassThrough(), 'json', at);
    log.event('file', 'change data/a.csv (a)', { path: 'data/a.csv' });
    log.problem('refused', 'a: refused', { name: 'a' });
    const events = stdout()
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

  test('the stamped stream prefixes whole lines, however the text is chunked', () => {
    const target = new PassThrough();
    const text = collect(target);
    const stamped = createStampedStream(target, at);
    stamped.write('Plan: 1 to');
    stamped.write(' run\nApply: 1 succeeded.\nlast');
    stamped.end();
    assert.equal(
      text(),
      '2026-01-02T03:04:05.678Z Plan: 1 to run\n2026-01-02T03:04:05.678Z Apply: 1 succeeded.\n2026-01-02T03:04:05.678Z last\n',
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

import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { describe, it } from 'node:test';
import { type Emulator, type EmulatorOptions, startEmulator } from '../../src/emulator/start-emulator.js';
import { postJson, TEST_SEED, v3 } from './helpers.js';

async function withEmulator(options: EmulatorOptions, body: (emu: Emulator) => Promise<void>): Promise<void> {
  const emu = await startEmulator({ seed: TEST_SEED, token: 't', importDelayMs: 0, ...options });
  try {
    await body(emu);
  } finally {
    await emu.close();
  }
}

/** node:http with no keep-alive, so a dropped socket shows as an error on exactly this request. */
function rawGet(url: string, timeoutMs = 5000): Promise<{ status: number; ms: number }> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { agent: false, timeout: timeoutMs }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: Date.now() - started }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

describe('emulator fault injection', () => {
  it('answers the next N requests with HTML 503/502/504 load balancer pages', async () => {
    await withEmulator({}, async (emu) => {
      emu.faults.next(1, 'html-503');
      emu.faults.next(1, 'html-502');
      emu.faults.next(1, 'html-504');
      for (const status of [503, 502, 504]) {
        const r = await v3(emu, 'identity');
        assert.equal(r.status, status);
        assert.match(String(r.headers['content-type']), /text\/html/);
        assert.match(r.text, /Loadbalancer Error/);
      }
      assert.equal((await v3(emu, 'identity')).status, 200);
      assert.equal(emu.faults.pending(), 0);
    });
  });

  it('runs a POST that gets a 504 (unknown outcome) but refuses one that gets a 503', async () => {
    await withEmulator({}, async (emu) => {
      emu.faults.next(1, 'html-503', { method: 'POST', path: '/imports' });
      emu.faults.next(1, 'html-504', { method: 'POST', path: '/imports' });
      await v3(emu, 'identity');
      assert.equal(
        (await postJson(emu, 'imports', { database: 1, action: 'add', source: 'Email\nx\n' })).status,
        503,
      );
      assert.equal(emu.listImports().length, 0);
      assert.equal(
        (await postJson(emu, 'imports', { database: 1, action: 'add', source: 'Email\nx\n' })).status,
        504,
      );
      assert.equal(emu.listImports().length, 1);
      assert.deepEqual(
        emu.requests.map((r) => [r.method, r.status, r.fault]),
        [
          ['GET', 200, undefined],
          ['POST', 503, 'html-503'],
          ['POST', 504, 'html-504'],
        ],
      );
    });
  });

  it('answers 429 with Retry-After in seconds', async () => {
    await withEmulator({ retryAfterSeconds: 3 }, async (emu) => {
      emu.faults.next(1, '429');
      emu.faults.next(1, '429', { retryAfterSeconds: 0 });
      const first = await v3(emu, 'identity');
      assert.equal(first.status, 429);
      assert.equal(first.headers['retry-after'], '3');
      assert.equal((await v3(emu, 'identity')).headers['retry-after'], '0');
    });
  });

  it('drops the connection before the response, running nothing', async () => {
    await withEmulator({}, async (emu) => {
      emu.faults.next(1, 'drop-before-response');
      await assert.rejects(rawGet(`${emu.url}/v3/identity?access_token=t`), /socket hang up|ECONNRESET/);
      assert.equal(emu.requests[0]?.status, 0);
      assert.equal((await rawGet(`${emu.url}/v3/identity?access_token=t`)).status, 200);
    });
  });

  it('drops the connection after reading the body: the import exists though the client saw nothing', async () => {
    await withEmulator({}, async (emu) => {
      emu.faults.next(1, 'drop-after-body', { method: 'POST' });
      await assert.rejects(postJson(emu, 'imports', { database: 1, action: 'add', source: 'Email\nx\n' }));
      assert.equal(emu.listImports().length, 1);
      assert.equal(emu.requests[0]?.fault, 'drop-after-body');
      assert.ok((emu.requests[0]?.bodySize ?? 0) > 0);
    });
  });

  it('delays the headers of a slow-headers request', async () => {
    await withEmulator({}, async (emu) => {
      emu.faults.next(1, 'slow-headers', { delayMs: 250 });
      const slow = await rawGet(`${emu.url}/v3/identity?access_token=t`);
      assert.equal(slow.status, 200);
      assert.ok(slow.ms >= 240, `took ${slow.ms} ms`);
    });
  });

  it('adds latency to every response', async () => {
    await withEmulator({ latencyMs: 120 }, async (emu) => {
      const r = await rawGet(`${emu.url}/v3/identity?access_token=t`);
      assert.ok(r.ms >= 110, `took ${r.ms} ms`);
    });
  });

  it('fails by rate, deterministically with an injected random', async () => {
    const sequence = [0.1, 0.0, 0.9, 0.2, 0.6];
    let i = 0;
    const random = () => sequence[i++ % sequence.length] ?? 0;
    await withEmulator({ failRate: 0.5, failKinds: ['html-503', '429'], random }, async (emu) => {
      const statuses: number[] = [];
      for (let n = 0; n < 3; n++) statuses.push((await v3(emu, 'identity')).status);
      // 0.1 < 0.5 -> fault, kind by 0.0 -> html-503; 0.9 -> ok; 0.2 -> fault, kind by 0.6 -> 429.
      assert.deepEqual(statuses, [503, 200, 429]);
    });
  });

  it('answers 429 past the rate limit per second', async () => {
    let now = 1_000_000;
    await withEmulator({ rateLimitPerSecond: 2, now: () => new Date(now) }, async (emu) => {
      const statuses: number[] = [];
      for (let n = 0; n < 3; n++) statuses.push((await v3(emu, 'identity')).status);
      assert.deepEqual(statuses, [200, 200, 429]);
      now += 1001;
      assert.equal((await v3(emu, 'identity')).status, 200);
    });
  });

  it('clears queued faults', async () => {
    await withEmulator({}, async (emu) => {
      emu.faults.next(5, 'html-503');
      emu.faults.clear();
      assert.equal((await v3(emu, 'identity')).status, 200);
    });
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { execa, type ResultPromise } from 'execa';
import { EXIT } from '../../src/core/exit-codes.js';
import { CLI_PATH, REPO_ROOT, runCliProcess } from '../helpers/cli.js';
import { call } from './helpers.js';

interface Started {
  child: ResultPromise;
  output: () => string;
  url: string;
}

/** Spawns `copernica-sync emulator` and waits (bounded) for its banner to end. */
async function spawnEmulator(args: string[], env: Record<string, string> = {}): Promise<Started> {
  const child = execa(process.execPath, [CLI_PATH, 'emulator', '--port', '0', ...args], {
    cwd: REPO_ROOT,
    env: { NO_COLOR: '1', COPERNICA_ACCESS_TOKEN: '', ...env },
    reject: false,
    timeout: 20_000,
  });
  let text = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    text += chunk.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL line in: ${text}`)), 10_000);
    child.stdout?.on('data', () => {
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(text);
      if (match?.[1] && text.includes('Press Ctrl+C')) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
  });
  return { child, output: () => text, url };
}

describe('copernica-sync emulator', () => {
  it('serves until SIGTERM and exits 0, printing the token it made up', async () => {
    const { child, output, url } = await spawnEmulator(['--import-delay', '0']);
    try {
      const token = /access token \(generated\): (\S+)/.exec(output())?.[1] ?? '';
      assert.match(token, /^[0-9a-f]{32}$/);
      const r = await call(`${url}/v3/databases?access_token=${token}`);
      assert.equal(r.status, 200);
      assert.deepEqual(
        (r.json() as { data: Array<{ name: string }> }).data.map((d) => d.name),
        ['Newsletter', 'Leads'],
      );
    } finally {
      child.kill('SIGTERM');
    }
    const result = await child;
    assert.equal(result.exitCode, EXIT.ok);
    assert.match(String(result.stderr), /emulator stopped/);
  });

  it('never prints a token given with --token or COPERNICA_ACCESS_TOKEN', async () => {
    for (const [args, env] of [
      [['--token', 'flag-secret-1'], {}],
      [[], { COPERNICA_ACCESS_TOKEN: 'env-secret-2' }],
    ] as Array<[string[], Record<string, string>]>) {
      const { child, output, url } = await spawnEmulator(args, env);
      const token = args[1] ?? env.COPERNICA_ACCESS_TOKEN ?? '';
      try {
        assert.equal((await call(`${url}/v3/identity?access_token=${token}`)).status, 200);
      } finally {
        child.kill('SIGINT');
      }
      const result = await child;
      assert.equal(result.exitCode, EXIT.ok);
      assert.ok(!output().includes(token) && !String(result.stderr).includes(token));
      assert.doesNotMatch(output(), /generated/);
    }
  });

  it('refuses a bad option value with exit 64', async () => {
    const r = await runCliProcess(['emulator', '--fail-rate', '2']);
    assert.equal(r.exitCode, EXIT.usage);
    assert.match(r.stderr, /E_USAGE/);
  });

  it('reports a missing seed file as E_EMULATOR_SEED, exit 1', async () => {
    const r = await runCliProcess(['emulator', '--port', '0', '--seed', 'no-such-seed.yaml']);
    assert.equal(r.exitCode, EXIT.failure);
    assert.match(r.stderr, /E_EMULATOR_SEED/);
  });
});

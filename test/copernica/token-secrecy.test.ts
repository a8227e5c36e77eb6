import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { ClientOptions, CopernicaClient } from '../../src/copernica/types.js';
import { CopernicaSyncError } from '../../src/core/errors.js';
import { inlineCsv } from './helpers/escaped.js';
import { created, type Step, startScriptedServer } from './helpers/scripted-server.js';
import { closeTestResources, createTestClient, serve } from './helpers/test-client.js';

const TOKEN = 'SENTINEL-TOKEN-9f8e7d';
const JWT = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(`{"exp":${Math.floor(Date.now() / 1000) + 3600}}`).toString('base64url')}.SENTINELJWTSIG`;
after(closeTestResources);

/** Every text an error can show: message, String(), stack, hint, diagnostic, and the whole cause chain. */
function errorTexts(error: unknown): string[] {
  const texts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 8 && current !== undefined; depth += 1) {
    texts.push(String(current));
    if (current instanceof Error) {
      texts.push(current.message, current.stack ?? '', JSON.stringify(Object.entries(current)));
      if (current instanceof CopernicaSyncError)
        texts.push(JSON.stringify(current.toDiagnostic()), current.hint ?? '');
      current = current.cause;
    } else current = undefined;
  }
  return texts;
}

const echo =
  (status: number): ((url: string, auth: string) => Step) =>
  (url, auth) => ({
    status,
    body: `<html><body>bad ${url} ${auth} token ${TOKEN}</body></html>`,
  });

const request = inlineCsv({ database: 1, name: 'n', action: 'add', keyFields: [] }, ['Email\na@b.nl\n']);

type Call = (client: CopernicaClient) => Promise<unknown>;
const importAdd: Call = (c) => c.createImport(request, { idempotent: false });
const cases: Array<
  [string, Array<Step | ((url: string, auth: string) => Step)>, Call, Partial<ClientOptions>?]
> = [
  ['503 until attempts run out, echoing the URL', [echo(503), echo(503)], importAdd],
  [
    '429 then 500 echoing the token',
    [{ status: 429, headers: { 'retry-after': '1' } }, echo(500)],
    importAdd,
  ],
  ['drop after body for add', [{ drop: true }], importAdd],
  [
    '500 JSON message with the token',
    [{ status: 500, body: `{"error":{"message":"no ${TOKEN}"}}` }],
    (c) => c.identity(),
  ],
  [
    'invalid access token',
    [{ status: 400, body: '{"error":{"message":"Invalid access token"}}' }],
    (c) => c.identity(),
  ],
  ['slow headers', [{ delayMs: 3000 }, { delayMs: 3000 }], (c) => c.identity(), { timeoutMs: 100 }],
  ['non-JSON body', [{ body: `<html>${TOKEN}</html>` }], (c) => c.identity()],
  [
    'import lasterror',
    [{ body: JSON.stringify({ ID: '1', lastrun: false, lasterror: `bad ${TOKEN}` }) }],
    (c) => c.waitForImport('1', { timeoutMs: 1000 }),
  ],
  [
    'wait timeout',
    [{ body: '{"ID":"1","lastrun":false,"lasterror":false}' }],
    (c) => c.waitForImport('1', { timeoutMs: 0 }),
  ],
  ['201 without X-Created', [{ status: 201 }], importAdd],
];

async function runCase(
  steps: Array<Step | ((url: string, auth: string) => Step)>,
  call: Call,
  options: Partial<ClientOptions>,
) {
  const v4 = options.apiVersion === 4;
  const server = await serve((recorded, index) => {
    if (v4 && recorded.path === '/auth') return { body: JWT };
    const apiIndex = v4 ? index - 1 : index;
    const step = steps[apiIndex] ?? created('1');
    return typeof step === 'function' ? step(recorded.url, String(recorded.headers.authorization)) : step;
  });
  const { client, events } = createTestClient(server.url, {
    token: TOKEN,
    authUrl: `${server.url}/auth`,
    retry: { attempts: 2, maxDelayMs: 10 },
    ...options,
  });
  const error = await call(client).then(
    () => assert.fail('expected a failure'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof CopernicaSyncError, String(error));
  return [...errorTexts(error), JSON.stringify(events)];
}

function assertClean(texts: string[]): void {
  for (const text of texts) {
    assert.ok(!text.includes(TOKEN), `token leaked: ${text}`);
    assert.ok(!text.includes('SENTINELJWTSIG'), `JWT leaked: ${text}`);
  }
}

describe('the access token appears in no error, cause, stack or event', () => {
  for (const version of [3, 4] as const) {
    for (const [name, steps, call, options] of cases) {
      it(`v${version}: ${name}`, async () => {
        assertClean(await runCase(steps, call, { apiVersion: version, ...options }));
      });
    }
  }

  it('v3: refused connection and insecure URLs', async () => {
    const server = await startScriptedServer([]);
    await server.close();
    const { client } = createTestClient(server.url, { token: TOKEN, retry: { attempts: 2, maxDelayMs: 10 } });
    assertClean(errorTexts(await client.identity().catch((e: unknown) => e)));
    const insecure = (() => {
      try {
        createTestClient(`http://user:${TOKEN}@example.com/?access_token=${TOKEN}`, { token: TOKEN });
      } catch (e) {
        return e;
      }
    })();
    assert.ok(insecure instanceof CopernicaSyncError && insecure.code === 'E_API_INSECURE_URL');
    assertClean(errorTexts(insecure));
  });

  it('v4: a refused token at the auth URL', async () => {
    const server = await serve([{ status: 400, body: `bad token ${TOKEN}` }]);
    const { client, events } = createTestClient(server.url, {
      token: TOKEN,
      apiVersion: 4,
      authUrl: `${server.url}/auth`,
    });
    const error = await client.identity().catch((e: unknown) => e);
    assert.ok(error instanceof CopernicaSyncError && error.code === 'E_API_AUTH');
    assertClean([...errorTexts(error), JSON.stringify(events)]);
  });
});

// Talks to an emulator over real HTTP (undici) and waits for imports by polling with a bounded timeout.
import { setTimeout as delay } from 'node:timers/promises';
import { request } from 'undici';
import type { EmulatorSeed } from '../../src/emulator/types.js';

export interface HttpResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: () => unknown;
}

export interface CallOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  body?: string;
  headers?: Record<string, string>;
}

export async function call(url: string, options: CallOptions = {}): Promise<HttpResult> {
  const response = await request(url, {
    method: options.method ?? 'GET',
    headers: options.headers ?? {},
    body: options.body ?? null,
  });
  const text = await response.body.text();
  return { status: response.statusCode, headers: response.headers, text, json: () => JSON.parse(text) };
}

/** GET or POST a v3 path with the token in the query. */
export function v3(emu: { url: string; token: string }, path: string, options: CallOptions = {}) {
  const separator = path.includes('?') ? '&' : '?';
  return call(`${emu.url}/v3/${path}${separator}access_token=${encodeURIComponent(emu.token)}`, options);
}

export function postJson(emu: { url: string; token: string }, path: string, body: unknown) {
  return v3(emu, path, {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json' },
  });
}

export interface ImportView {
  ID: string;
  status: string;
  totallines: string;
  processedlines: string;
  lastrun: string | false;
  lasterror: string | false;
}

/** Creates an import, then polls GET import/{id} until it is done (lastrun or lasterror set). */
export async function runImport(emu: { url: string; token: string }, body: Record<string, unknown>) {
  const created = await postJson(emu, 'imports', { database: 1, ...body });
  if (created.status !== 201) throw new Error(`import not created: ${created.status} ${created.text}`);
  const id = String(created.headers['x-created']);
  return waitFor(async () => {
    const view = (await v3(emu, `import/${id}`)).json() as ImportView;
    return view.lastrun !== false || view.lasterror !== false ? view : undefined;
  });
}

export async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await delay(10);
  }
}

/** A small seed: database 1 "Shop" (collection Orders), database 2 "Other". */
export const TEST_SEED: EmulatorSeed = {
  databases: [
    {
      id: 1,
      name: 'Shop',
      fields: [
        { name: 'Email', type: 'email' },
        'Name',
        'City',
        { name: 'Score', type: 'integer', value: '0' },
      ],
      collections: [{ id: 7, name: 'Orders', fields: ['OrderID', 'Product', 'Status'] }],
      profiles: [
        {
          fields: { Email: 'ann@example.com', Name: 'Ann', City: 'Utrecht', Score: 10 },
          subprofiles: { Orders: [{ OrderID: 'A1', Product: 'Pen', Status: 'paid' }] },
        },
        { fields: { Email: 'bob@example.com', Name: 'Bob', City: 'Gent', Score: 20 } },
        { fields: { Email: 'cas@example.com', Name: 'Cas', City: 'Utrecht', Score: 30 } },
      ],
    },
    { id: 2, name: 'Other', fields: ['Email'] },
  ],
};

// The emulator accepts exactly what Copernica's official PHP client sends, replayed byte for byte over raw TCP
// (node:net, so no HTTP library rewrites them), and refuses a chunked body with 411 as strict front ends do.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Emulator, startEmulator } from '../../src/emulator/start-emulator.js';
import { REPO_ROOT } from '../helpers/cli.js';
import { type ImportView, v3, waitFor } from './helpers.js';

const FIXTURE = join(REPO_ROOT, 'test', 'fixtures', 'emulator', 'official-client-requests.http');
const TOKEN = 'official-client-token';

interface CapturedRequest {
  title: string;
  /** The request line and headers, as captured (LF-separated in the file). */
  headLines: string[];
  body: Buffer;
}

interface RawResponse {
  status: number;
  headers: Map<string, string>;
  body: string;
}

/** `### title`, the request line and headers, a blank line, then the body (to the next section). */
function loadCaptured(): CapturedRequest[] {
  const text = readFileSync(FIXTURE, 'utf8');
  return text
    .split(/^### /m)
    .slice(1)
    .map((section) => {
      const [title = '', rest = ''] = section.split(/\n(.*)/s);
      const blank = rest.indexOf('\n\n');
      return {
        title,
        headLines: rest.slice(0, blank).split('\n'),
        body: Buffer.from(rest.slice(blank + 2).replace(/\n+$/, ''), 'utf8'),
      };
    });
}

/** The bytes on the wire: the head with CRLF line ends (HTTP's), host and token filled in, the body as is. */
function wireBytes(request: CapturedRequest, port: number, token: string): Buffer {
  const head = request.headLines
    .map((line) => line.replace('127.0.0.1:PORT', `127.0.0.1:${port}`).replace('=TOKEN', `=${token}`))
    .join('\r\n');
  return Buffer.concat([Buffer.from(`${head}\r\n\r\n`, 'latin1'), request.body]);
}

/** Writes the bytes on a fresh connection and reads one response (the emulator always sends a length). */
function exchange(port: number, bytes: Buffer): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    let received = Buffer.alloc(0);
    const tryParse = (): RawResponse | undefined => {
      const end = received.indexOf('\r\n\r\n');
      if (end < 0) return undefined;
      const [statusLine = '', ...lines] = received.subarray(0, end).toString('latin1').split('\r\n');
      const headers = new Map(
        lines.map((line) => {
          const colon = line.indexOf(':');
          return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()] as const;
        }),
      );
      const length = Number(headers.get('content-length') ?? 0);
      if (received.length < end + 4 + length) return undefined;
      const body = received.subarray(end + 4, end + 4 + length).toString('utf8');
      return { status: Number(statusLine.split(' ')[1]), headers, body };
    };
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const response = tryParse();
      if (!response) return;
      socket.destroy();
      resolve(response);
    });
    socket.on('error', reject);
    socket.on('close', () => reject(new Error(`connection closed after ${received.length} bytes`)));
    socket.write(bytes);
  });
}

function portOf(emu: Emulator): number {
  return Number(new URL(emu.url).port);
}

async function waitForImport(emu: Emulator, id: string): Promise<ImportView> {
  return waitFor(async () => {
    const view = (await v3(emu, `import/${id}`)).json() as ImportView;
    return view.lastrun !== false || view.lasterror !== false ? view : undefined;
  });
}

describe('the official client’s requests, replayed byte for byte', () => {
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator({
      token: TOKEN,
      importDelayMs: 0,
      seed: { databases: [{ id: 1, name: 'Test', fields: ['Email', 'Contactpersoon'] }] },
    });
  });
  after(() => emu.close());

  it('holds three captured requests whose content-length is their body’s', () => {
    const captured = loadCaptured();
    assert.equal(captured.length, 3);
    for (const request of captured) {
      assert.match(request.headLines[0] ?? '', /^POST \/v3\/imports\/\?access_token=TOKEN HTTP\/1\.1$/);
      assert.ok(request.headLines.includes(`content-length: ${request.body.length}`), request.title);
    }
    assert.match(readFileSync(FIXTURE, 'utf8'), /^# .*official PHP client \(CopernicaRestAPI/);
  });

  it('answers each with 201 and X-Created, and imports the rows', async () => {
    for (const request of loadCaptured()) {
      const response = await exchange(portOf(emu), wireBytes(request, portOf(emu), TOKEN));
      assert.equal(response.status, 201, `${request.title}: ${response.body}`);
      const id = response.headers.get('x-created') ?? '';
      assert.match(id, /^\d+$/, request.title);
      const done = await waitForImport(emu, id);
      assert.equal(done.lasterror, false, request.title);
      assert.notEqual(done.lastrun, false, request.title);
    }
    assert.deepEqual(
      emu.listProfiles(1).map((p) => p.fields),
      [
        { Email: 'support@copernica.com', Contactpersoon: 'Jeroen' },
        { Email: 'info@copernica.com', Contactpersoon: 'Danny' },
        { Email: 'u0@example.com', Contactpersoon: 'Jérôme / R&D' },
      ],
    );
    const imports = emu.listImports();
    assert.deepEqual(
      imports.map((i) => [i.stats?.created, i.stats?.updated]),
      [
        [2, 0],
        [0, 2],
        [1, 0],
      ],
    );
  });

  it('refuses a chunked body with 411 Length Required, before reading it', async () => {
    const before = emu.listImports().length;
    const body = '{"database":1,"action":"add","source":"Email\\nx@example.com\\n"}';
    const head = [
      `POST /v3/imports?access_token=${TOKEN} HTTP/1.1`,
      `Host: 127.0.0.1:${portOf(emu)}`,
      'content-type: application/json',
      'transfer-encoding: chunked',
    ].join('\r\n');
    const chunked = `${head}\r\n\r\n${Buffer.byteLength(body).toString(16)}\r\n${body}\r\n0\r\n\r\n`;
    const response = await exchange(portOf(emu), Buffer.from(chunked, 'utf8'));
    assert.equal(response.status, 411);
    assert.equal(emu.listImports().length, before, 'no import was created');
    assert.equal(emu.requests.at(-1)?.status, 411);
  });
});

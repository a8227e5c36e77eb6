// A minimal, fast stand-in for Copernica for the apply benchmarks: answers the pre-flight, drains the upload
// and reports every import finished, so the figures measure copernica-sync and not the emulator's own work.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

const FIELDS = ['Email', 'FirstName', 'LastName', 'City', 'Score'].map((name, i) => ({
  ID: String(i + 1),
  name,
}));
const DATABASE = {
  ID: '1',
  name: 'Bench',
  description: '',
  archived: false,
  fields: FIELDS,
  collections: [],
};

function list(data: unknown[], total = data.length) {
  return { start: 0, limit: 1000, count: data.length, total, data };
}

/** GET answers by path (the pre-flight); everything else is handled in `route`. */
const GETS: Record<string, unknown> = {
  databases: list([DATABASE]),
  'database/1': DATABASE,
  'database/1/fields': list(FIELDS),
  'database/1/collections': list([]),
  'database/1/profiles': list([], 0),
};

/** Body bytes of every POST imports, in order: GET /sink/posts answers them (the row benchmark's measure). */
const posted: number[] = [];

function route(req: IncomingMessage, res: ServerResponse, nextId: () => string): void {
  const path = new URL(req.url ?? '/', 'http://sink').pathname.replace(/^\/v[34]\//, '');
  const json = (status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const done = /^import\/(\d+)$/.exec(path);
  if (req.method === 'POST' && path === 'imports') {
    let bytes = 0;
    req.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
    });
    req.on('end', () => {
      posted.push(bytes);
      res.writeHead(201, { 'x-created': nextId() });
      res.end();
    });
  } else if (path === 'sink/posts') json(200, posted);
  else if (path in GETS) json(200, GETS[path]);
  else if (done)
    json(200, { ID: done[1], status: 'finished', lastrun: '2026-01-01 00:00:00', lasterror: false });
  else json(400, { error: { message: 'Invalid method' } });
}

let id = 0;
const server = createServer((req, res) => route(req, res, () => String(++id)));
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (address && typeof address === 'object') process.stdout.write(`http://127.0.0.1:${address.port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));

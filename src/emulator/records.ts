// Copernica's timestamp format, and what every new (sub)profile gets: an ID, a secret, default field values.
import { randomBytes } from 'node:crypto';
import type { FieldRecord } from './types.js';

const SECRET_BYTES = 14;
const POOL_SIZE = SECRET_BYTES * 4096;
let pool = Buffer.alloc(0);
let offset = 0;

/** `YYYY-MM-DD hh:mm:ss` in UTC, as the API writes timestamps. */
export function formatTimestamp(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}

/** Fields the values do not name keep their default value. */
export function newRecord(id: number, stamp: string, fields: FieldRecord[], values: Record<string, string>) {
  const defaults = Object.fromEntries(fields.map((f) => [f.name, f.value]));
  return { id, fields: { ...defaults, ...values }, secret: createSecret(), created: stamp, modified: stamp };
}

/** Drawn from a pool: one randomBytes call per profile made big imports slow. */
function createSecret(): string {
  if (offset + SECRET_BYTES > pool.length) {
    pool = randomBytes(POOL_SIZE);
    offset = 0;
  }
  const secret = pool.toString('hex', offset, offset + SECRET_BYTES);
  offset += SECRET_BYTES;
  return secret;
}

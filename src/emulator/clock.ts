// Copernica's timestamp format and the random-looking secrets it gives every (sub)profile.
import { randomBytes } from 'node:crypto';

const SECRET_BYTES = 14;
const POOL_SIZE = SECRET_BYTES * 4096;
let pool = Buffer.alloc(0);
let offset = 0;

/** `YYYY-MM-DD hh:mm:ss` in UTC, as the API writes timestamps. */
export function formatTimestamp(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}

/** Drawn from a pool: one randomBytes call per profile made big imports slow. */
export function createSecret(): string {
  if (offset + SECRET_BYTES > pool.length) {
    pool = randomBytes(POOL_SIZE);
    offset = 0;
  }
  const secret = pool.toString('hex', offset, offset + SECRET_BYTES);
  offset += SECRET_BYTES;
  return secret;
}

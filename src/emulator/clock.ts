// Copernica's timestamp format and the random-looking secrets it gives every (sub)profile.
import { randomBytes } from 'node:crypto';

/** `YYYY-MM-DD hh:mm:ss` in UTC, as the API writes timestamps. */
export function formatTimestamp(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}

export function createSecret(): string {
  return randomBytes(14).toString('hex');
}

// The token travels only over https, or plain http to this machine (the emulator).
import { CopernicaSyncError } from '../core/errors.js';

export function assertSafeUrl(raw: string, what: string): URL {
  if (!URL.canParse(raw)) {
    const hint = 'use an https:// URL, e.g. https://api.copernica.com';
    throw new CopernicaSyncError('E_API_INSECURE_URL', `${what} is not a valid URL`, { hint });
  }
  const url = new URL(raw);
  if (url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname))) return url;
  const message = `refusing to send the access token to ${url.protocol}//${url.host}`;
  const hint = `${what} must use https (plain http is allowed only to 127.0.0.1, ::1 or localhost)`;
  throw new CopernicaSyncError('E_API_INSECURE_URL', message, { hint });
}

export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host === '::1') return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

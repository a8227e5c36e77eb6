// v3 checks `?access_token=`; v4 checks a Bearer JWT that POST /authenticate issued for the token.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { type ApiResponse, errorResponse, MESSAGES, textResponse } from './api-response.js';
import { parseBody, parseForm } from './request-body.js';

export function isValidAccessToken(given: unknown, token: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The form body `access_token=<token>` gets the JWT as text (JSON bodies accepted too). */
export function authenticate(body: Buffer, token: string, now: Date, lifetimeSeconds?: number): ApiResponse {
  const text = body.toString('utf8');
  const fields = text.trimStart().startsWith('{')
    ? (parseBody(body, 'application/json') ?? {})
    : parseForm(text);
  if (!isValidAccessToken(fields.access_token, token)) return errorResponse(MESSAGES.invalidToken);
  return textResponse(createJwt(token, seconds(now), lifetimeSeconds), 'text/plain');
}

/** header.payload.signature, HMAC-signed with the access token so it survives an emulator restart. */
export function createJwt(token: string, nowSeconds: number, lifetimeSeconds = 24 * 60 * 60): string {
  const header = encode({ alg: 'HS256', typ: 'JWT' });
  const payload = encode({
    iss: 'copernica-sync-emulator',
    iat: nowSeconds,
    exp: nowSeconds + lifetimeSeconds,
  });
  return `${header}.${payload}.${sign(`${header}.${payload}`, token)}`;
}

export function isValidJwt(jwt: string | undefined, token: string, now: Date): boolean {
  const [header, payload, signature, extra] = jwt?.split('.') ?? [];
  if (!header || !payload || !signature || extra !== undefined) return false;
  if (!isValidAccessToken(signature, sign(`${header}.${payload}`, token))) return false;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown };
    return typeof claims.exp === 'number' && claims.exp > seconds(now);
  } catch {
    return false;
  }
}

export function bearerOf(req: IncomingMessage): string | undefined {
  return /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
}

function seconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}

function encode(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function sign(input: string, token: string): string {
  return createHmac('sha256', token).update(input).digest('base64url');
}

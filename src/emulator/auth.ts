// v3 checks `?access_token=`; v4 checks a Bearer JWT that POST /authenticate issued for the token.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const JWT_LIFETIME_SECONDS = 24 * 60 * 60;

export function isValidAccessToken(given: string | null | undefined, token: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** header.payload.signature, HMAC-signed with the access token so it survives an emulator restart. */
export function createJwt(token: string, nowSeconds: number, lifetimeSeconds = JWT_LIFETIME_SECONDS): string {
  const header = encode({ alg: 'HS256', typ: 'JWT' });
  const payload = encode({
    iss: 'copernica-sync-emulator',
    iat: nowSeconds,
    exp: nowSeconds + lifetimeSeconds,
  });
  return `${header}.${payload}.${sign(`${header}.${payload}`, token)}`;
}

export function isValidJwt(jwt: string, token: string, nowSeconds: number): boolean {
  const [header, payload, signature, extra] = jwt.split('.');
  if (!header || !payload || !signature || extra !== undefined) return false;
  if (!isValidAccessToken(signature, sign(`${header}.${payload}`, token))) return false;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown };
    return typeof claims.exp === 'number' && claims.exp > nowSeconds;
  } catch {
    return false;
  }
}

export function bearerOf(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  return match?.[1];
}

function encode(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function sign(input: string, token: string): string {
  return createHmac('sha256', token).update(input).digest('base64url');
}

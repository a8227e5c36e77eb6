// Rules about reaching Copernica: URLs that are https (or loopback http), and never a literal token in the file.

import { isLoopbackHost } from '../../copernica/url-guard.js';
import type { DataPath } from '../yaml-document.js';
import { asRecord, type Rule } from './rule-context.js';

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export const checkApiUrls: Rule = (ctx) => {
  const copernica = asRecord(ctx.data.copernica) ?? {};
  for (const key of ['url', 'authUrl'] as const) {
    const value = copernica[key];
    const problem = typeof value === 'string' ? describeUrlProblem(value) : undefined;
    if (!problem) continue;
    ctx.error('E_CONFIG_URL', `copernica.${key} ${problem}`, {
      position: ctx.locator.valueAt(['copernica', key]),
      hint: 'use https://…; plain http is only allowed to localhost (e.g. the emulator)',
    });
  }
};

/** Undefined when the URL is fine: https anywhere, http only to a loopback host. */
export function describeUrlProblem(text: string): string | undefined {
  const url = URL.parse(text);
  if (!url) return 'is not a valid URL';
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return undefined;
  return url.protocol === 'http:'
    ? 'must use https (http only to a loopback host)'
    : 'must be an https:// URL';
}

export const checkTokenEnv: Rule = (ctx) => {
  const value = asRecord(ctx.data.copernica)?.tokenEnv;
  if (typeof value !== 'string') return;
  const position = ctx.locator.valueAt(['copernica', 'tokenEnv']);
  if (looksLikeToken(value)) {
    const message = 'copernica.tokenEnv looks like a token, not the name of an environment variable';
    ctx.error('E_CONFIG_LITERAL_TOKEN', message, {
      position,
      hint: 'remove the token from the file (and rotate it if it was committed); set tokenEnv: COPERNICA_ACCESS_TOKEN and export the token in that variable',
    });
  } else if (!ENV_NAME.test(value)) {
    ctx.error('E_CONFIG_TOKEN_ENV', 'copernica.tokenEnv must be the name of an environment variable', {
      position,
      hint: 'letters, digits and "_", not starting with a digit, e.g. COPERNICA_ACCESS_TOKEN',
    });
  }
};

/** Environment variable names are words; tokens are long runs mixing letters and digits. */
export function looksLikeToken(value: string): boolean {
  const long = value.length >= 20;
  const mixed = /[0-9]/.test(value) && /[a-z]/i.test(value);
  return (
    (long && mixed && !value.includes('_')) ||
    (long && !ENV_NAME.test(value)) ||
    /^[0-9a-f]{24,}$/i.test(value)
  );
}

export const checkTokensInUrls: Rule = (ctx) => {
  for (const path of findStrings(ctx.data, [])) {
    ctx.error('E_CONFIG_LITERAL_TOKEN', 'a URL in imports.yaml carries an access_token', {
      position: ctx.locator.valueAt(path),
      hint: 'remove the token from the URL (and rotate it if it was committed); the tool adds it from copernica.tokenEnv',
    });
  }
};

function findStrings(value: unknown, path: DataPath): DataPath[] {
  if (typeof value === 'string') return /[?&#]?access_token=/i.test(value) ? [path] : [];
  if (Array.isArray(value)) return value.flatMap((item, i) => findStrings(item, [...path, i]));
  const record = asRecord(value);
  return record ? Object.entries(record).flatMap(([k, v]) => findStrings(v, [...path, k])) : [];
}

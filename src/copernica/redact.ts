// Removes the access token, the v4 JWT and anything shaped like them from text before it reaches an error.

export const REDACTED = '[REDACTED]';

const URL_TOKEN = /(access_token=)[^&\s"'<>]+/gi;
const BEARER = /(Bearer\s+)[^\s"',;]+/gi;
const JWT = /eyJ[\w-]+\.[\w-]+\.[\w-]*/g;

export function redactSecrets(text: string, secrets: string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length < 4) continue; // too short to replace without mangling the text
    out = out.split(secret).join(REDACTED);
    const encoded = encodeURIComponent(secret);
    if (encoded !== secret) out = out.split(encoded).join(REDACTED);
  }
  return out.replace(URL_TOKEN, `$1${REDACTED}`).replace(BEARER, `$1${REDACTED}`).replace(JWT, REDACTED);
}

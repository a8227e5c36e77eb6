// Turns an error response body into one short line: Copernica's error.message, or an excerpt of the HTML.

const EXCERPT_CHARS = 160;

export function extractErrorMessage(text: string): string | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  const fromJson = readJsonErrorMessage(trimmed);
  if (fromJson !== undefined) return fromJson;
  const plain = trimmed
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (plain === '') return undefined;
  return plain.length > EXCERPT_CHARS ? `${plain.slice(0, EXCERPT_CHARS)}…` : plain;
}

function readJsonErrorMessage(text: string): string | undefined {
  if (!text.startsWith('{')) return undefined;
  try {
    const parsed = JSON.parse(text) as { error?: { message?: unknown } | string; message?: unknown };
    if (typeof parsed.error === 'string') return parsed.error;
    if (typeof parsed.error?.message === 'string') return parsed.error.message;
    if (typeof parsed.message === 'string') return parsed.message;
  } catch {
    return undefined;
  }
  return undefined;
}

export function headerValue(
  headers: Record<string, string | string[] | undefined>,
  name: string,
): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** The new import's ID: the X-Created header, else the end of X-location, else an ID in the body. */
export function readCreatedId(
  headers: Record<string, string | string[] | undefined>,
  text: string,
): string | undefined {
  const created = headerValue(headers, 'x-created')?.trim();
  if (created) return created;
  const location = headerValue(headers, 'x-location');
  const fromLocation = location?.match(/(\d+)\/?$/)?.[1];
  if (fromLocation) return fromLocation;
  const fromBody = /"ID"\s*:\s*"?(\d+)/.exec(text)?.[1];
  return fromBody;
}

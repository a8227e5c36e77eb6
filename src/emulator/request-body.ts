// Parses a request body as JSON or form data (repeated `key[]` fields become arrays).

/** Undefined when the body is neither a JSON object nor form data. */
export function parseBody(raw: Buffer, contentType: string | undefined): Record<string, unknown> | undefined {
  const text = raw.toString('utf8');
  if (contentType?.includes('application/x-www-form-urlencoded')) return parseForm(text);
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

export function parseForm(text: string): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(text)) {
    if (!key.endsWith('[]')) result[key] = value;
    else {
      const name = key.slice(0, -2);
      result[name] = [...(Array.isArray(result[name]) ? result[name] : []), value];
    }
  }
  return result;
}

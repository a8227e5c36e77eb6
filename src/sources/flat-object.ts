// Splits a flat JSON object's text into [key, raw value text] pairs, so records can be re-ordered without
// re-serializing values (JSON.parse would round big integers like 12345678901234567890).

/** Undefined when the text is not a flat object (the caller falls back to JSON.parse). */
export function splitFlatObject(text: string): Map<string, string> | undefined {
  const fields = new Map<string, string>();
  let i = skipSpace(text, 0);
  if (text[i] !== '{') return undefined;
  i = skipSpace(text, i + 1);
  if (text[i] === '}') return skipSpace(text, i + 1) === text.length ? fields : undefined;
  for (;;) {
    if (text[i] !== '"') return undefined;
    const keyEnd = stringEnd(text, i);
    if (keyEnd < 0) return undefined;
    const key = JSON.parse(text.slice(i, keyEnd)) as string;
    i = skipSpace(text, keyEnd);
    if (text[i] !== ':') return undefined;
    i = skipSpace(text, i + 1);
    const valueEnd = text[i] === '"' ? stringEnd(text, i) : primitiveEnd(text, i);
    if (valueEnd <= i) return undefined;
    fields.set(key, text.slice(i, valueEnd));
    i = skipSpace(text, valueEnd);
    if (text[i] === '}') return skipSpace(text, i + 1) === text.length ? fields : undefined;
    if (text[i] !== ',') return undefined;
    i = skipSpace(text, i + 1);
  }
}

function skipSpace(text: string, from: number): number {
  let i = from;
  while (i < text.length && (text[i] === ' ' || text[i] === '\n' || text[i] === '\r' || text[i] === '\t'))
    i += 1;
  return i;
}

/** Index just past the string literal starting at `open`, or -1. */
function stringEnd(text: string, open: number): number {
  for (let i = open + 1; i < text.length; i += 1) {
    if (text[i] === '\\') i += 1;
    else if (text[i] === '"') return i + 1;
  }
  return -1;
}

/** A number, true, false or null: up to the next separator; objects and arrays are refused. */
function primitiveEnd(text: string, from: number): number {
  if (text[from] === '{' || text[from] === '[') return -1;
  let i = from;
  while (i < text.length && !/[\s,}]/.test(text[i] as string)) i += 1;
  return i;
}

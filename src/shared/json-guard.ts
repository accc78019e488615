/**
 * JSON from an untrusted peer, parsed only when its nesting is bounded. `JSON.parse` copes with deep
 * input, but everything that walks the result afterwards (zod, `JSON.stringify`, `String(array)`)
 * recurses and dies on a stack overflow; one cheap scan of the text rules that out for every caller.
 */
export const MAX_JSON_DEPTH = 32;

/** True when no array or object in `text` nests deeper than `max`. Linear; never recurses. */
export function depthWithin(text: string, max = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return false;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return true;
}

export type Parsed = { ok: true; value: unknown } | { ok: false; error: string };

/** Parses untrusted JSON text; never throws. */
export function parseBoundedJson(text: string, maxDepth = MAX_JSON_DEPTH): Parsed {
  if (!depthWithin(text, maxDepth)) return { ok: false, error: `nested deeper than ${maxDepth} levels` };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, error: 'not JSON' };
  }
}

/**
 * How deep JSON text nests, found before JSON.parse and every recursive walk after it: a file of
 * 200,000 nested objects parses, then overflows the stack of whatever walks it. One pass over the
 * characters, no recursion; brackets inside strings are text.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPENERS = new Set([0x5b, 0x7b]); // [ {
const CLOSERS = new Set([0x5d, 0x7d]); // ] }

/** The offset of the first bracket nested deeper than `limit`, or -1 when none is. */
export function firstTooDeep(text: string, limit: number): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (OPENERS.has(c)) {
      if (++depth > limit) return i;
    } else if (CLOSERS.has(c)) depth--;
  }
  return -1;
}

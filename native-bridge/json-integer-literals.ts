/**
 * JSON.parse turns `12.0` and `1.2e1` into the integer 12, so a schema's int() cannot tell that a
 * sender wrote an integer field as a fraction. The gateway protocol wants integers written as
 * integers; this scans the raw text (strings skipped, nesting followed) for a number literal with a
 * fraction or an exponent under an integer-only key. Pure: no Node, no DOM.
 */

export interface IntegerLiteralRules {
  /** Keys whose values are integers wherever they appear… */
  integerKeys: ReadonlySet<string>;
  /** …except inside these free-form maps (their keys are the sender's, their values any number). */
  freeFormKeys: ReadonlySet<string>;
}

/** The path of the first integer field written as a fraction or exponent ("seq", "items.at"), or null. */
export function nonIntegerLiteral(text: string, rules: IntegerLiteralRules): string | null {
  // One entry per open object or array: the key it holds now, and whether it is inside a free-form map.
  const stack: { key: string | null; object: boolean; freeForm: boolean }[] = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') {
      const end = stringEnd(text, i);
      const top = stack[stack.length - 1];
      if (top?.object && expectKey) {
        top.key = JSON.parse(text.slice(i, end + 1)) as string;
        expectKey = false;
      }
      i = end;
    } else if (c === '{' || c === '[') {
      const parent = stack[stack.length - 1];
      const freeForm = Boolean(parent && (parent.freeForm || (parent.key !== null && rules.freeFormKeys.has(parent.key))));
      stack.push({ key: null, object: c === '{', freeForm });
      expectKey = c === '{';
    } else if (c === '}' || c === ']') {
      stack.pop();
    } else if (c === ',') {
      expectKey = stack[stack.length - 1]?.object ?? false;
    } else if (c === '-' || (c >= '0' && c <= '9')) {
      let end = i;
      while (end < text.length && /[-+0-9.eE]/.test(text[end]!)) end++;
      const top = stack[stack.length - 1];
      if (/[.eE]/.test(text.slice(i, end)) && top?.object && !top.freeForm && top.key !== null && rules.integerKeys.has(top.key)) {
        return stack.flatMap((s) => (s.object && s.key !== null ? [s.key] : [])).join('.');
      }
      i = end - 1;
    }
  }
  return null;
}

/** Index of the quote closing the string opened at `start` (escapes skipped); the text's end if unterminated. */
function stringEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i;
  }
  return text.length - 1;
}

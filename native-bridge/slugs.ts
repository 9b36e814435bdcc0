/**
 * Ids people never type: a slug made from a Vietnamese name ("Ca Đêm" → "ca-dem"), so the console
 * asks for a name and shows the id it will use. Pure: no Node, no DOM.
 */

const SLUG_MAX = 64;

/** Lower-case ASCII letters, digits and "-" from any text; `fallback` when nothing is left. */
export function slugFrom(text: string, fallback: string): string {
  const ascii = text
    .normalize('NFD')
    // the combining marks NFD splits off (tones, breve, circumflex, horn); đ has no decomposition
    .replace(/\p{M}/gu, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase();
  const slug = ascii
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+/, '')
    .slice(0, SLUG_MAX)
    .replace(/-+$/, '');
  return slug === '' ? fallback : slug;
}

/** Picks the window's language from a {vi, en} text. */
export function pick(text: { vi: string; en: string } | null | undefined, lang: string): string {
  if (!text) return '';
  return lang === 'en' ? text.en : text.vi;
}

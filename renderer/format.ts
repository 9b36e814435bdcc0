/**
 * Date and time display: always Asia/Ho_Chi_Minh, 24-hour clock, dd/mm/yyyy — whatever the
 * machine's own time zone or locale. Times are stored as UTC epoch ms everywhere else.
 */
export const TIME_ZONE = 'Asia/Ho_Chi_Minh';

const partsFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

export interface ClockParts {
  year: string;
  month: string;
  day: string;
  hour: string;
  minute: string;
  second: string;
}

export function clockParts(ms: number): ClockParts {
  const out: ClockParts = { year: '', month: '', day: '', hour: '', minute: '', second: '' };
  for (const part of partsFormat.formatToParts(ms)) {
    if (part.type in out) out[part.type as keyof ClockParts] = part.value;
  }
  return out;
}

/** "14:32:05" (or "14:32" without seconds). */
export function formatTime(ms: number, seconds = true): string {
  const p = clockParts(ms);
  return seconds ? `${p.hour}:${p.minute}:${p.second}` : `${p.hour}:${p.minute}`;
}

/** "23/11/2025". */
export function formatDate(ms: number): string {
  const p = clockParts(ms);
  return `${p.day}/${p.month}/${p.year}`;
}

/** "14:32:05 23/11" — compact stamp for lists. */
export function formatStamp(ms: number): string {
  const p = clockParts(ms);
  return `${p.hour}:${p.minute}:${p.second} ${p.day}/${p.month}`;
}

const weekdayFormats = new Map<string, Intl.DateTimeFormat>();

/** "Chủ Nhật" / "Sunday". */
export function formatWeekday(ms: number, lang: string): string {
  const locale = lang === 'en' ? 'en-GB' : 'vi-VN';
  let format = weekdayFormats.get(locale);
  if (!format) weekdayFormats.set(locale, (format = new Intl.DateTimeFormat(locale, { timeZone: TIME_ZONE, weekday: 'long' })));
  const text = format.format(ms);
  return text.charAt(0).toLocaleUpperCase(locale) + text.slice(1);
}

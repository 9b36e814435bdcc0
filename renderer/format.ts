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

const numberFormats = new Map<string, Intl.NumberFormat>();

/** "2,35" (vi) / "2.35" (en): up to 2 decimals for small values, fewer as they grow. */
export function formatNumber(value: number, lang: string): string {
  if (!Number.isFinite(value)) return '—';
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : 2;
  const key = `${lang}:${digits}`;
  let format = numberFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(lang === 'en' ? 'en-GB' : 'vi-VN', { maximumFractionDigits: digits });
    numberFormats.set(key, format);
  }
  return format.format(value);
}

/** "10,9276° B · 106,8711° Đ" (vi) / "10.9276° N, 106.8711° E" (en): a place with no name, in the reader's decimals. */
export function formatCoordinates(lat: number, lon: number, lang: string): string {
  const en = lang === 'en';
  const degrees = (value: number) => new Intl.NumberFormat(en ? 'en-GB' : 'vi-VN', { minimumFractionDigits: 4, maximumFractionDigits: 4 }).format(Math.abs(value));
  const ns = lat >= 0 ? (en ? 'N' : 'B') : en ? 'S' : 'N';
  const ew = lon >= 0 ? 'E' : 'W';
  const ewVi = lon >= 0 ? 'Đ' : 'T';
  return en ? `${degrees(lat)}° ${ns}, ${degrees(lon)}° ${ew}` : `${degrees(lat)}° ${ns} · ${degrees(lon)}° ${ewVi}`;
}

/** "2,35 m"; a value without unit stays bare. */
export function formatQuantity(value: number, unit: string, lang: string): string {
  const text = formatNumber(value, lang);
  return unit ? `${text} ${unit}` : text;
}

const relativeFormats = new Map<string, Intl.RelativeTimeFormat>();

/**
 * "3 giây trước" / "3 seconds ago", in seconds, minutes, hours or days. Ages below a second (or
 * negative, when a clock runs ahead) read as 0 seconds; callers may show "vừa xong" instead.
 */
export function formatAge(ageMs: number, lang: string): string {
  const locale = lang === 'en' ? 'en-GB' : 'vi-VN';
  let format = relativeFormats.get(locale);
  if (!format) relativeFormats.set(locale, (format = new Intl.RelativeTimeFormat(locale, { numeric: 'always', style: 'long' })));
  const s = Math.max(0, Math.floor(ageMs / 1000));
  if (s < 60) return format.format(-s, 'second');
  if (s < 3600) return format.format(-Math.floor(s / 60), 'minute');
  if (s < 86_400) return format.format(-Math.floor(s / 3600), 'hour');
  return format.format(-Math.floor(s / 86_400), 'day');
}

/** "14:32:05" within the last day, else "14:32:05 23/11". */
export function formatSince(at: number, now: number): string {
  return now - at < 86_400_000 ? formatTime(at) : formatStamp(at);
}

/** How long something has run: "3 ngày 4 giờ", "2 giờ 5 phút", "5 phút 12 giây", "12 giây" (the two largest units). */
export function formatDuration(ms: number, lang: string): string {
  const units = lang === 'en' ? (['d', 'h', 'min', 's'] as const) : (['ngày', 'giờ', 'phút', 'giây'] as const);
  const s = Math.max(0, Math.floor(ms / 1000));
  const parts = [Math.floor(s / 86_400), Math.floor((s % 86_400) / 3600), Math.floor((s % 3600) / 60), s % 60];
  const first = parts.findIndex((n) => n > 0);
  if (first === -1) return `0 ${units[3]}`;
  return parts
    .slice(first, first + 2)
    .map((n, i) => `${n} ${units[first + i]}`)
    .filter((text, i) => i === 0 || !text.startsWith('0 '))
    .join(' ');
}

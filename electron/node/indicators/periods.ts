/**
 * The start of a table period ("2025", "2025-Q3", "2025-W37", "2025-09", "2025-09-15") as epoch ms
 * in the province's time (Asia/Ho_Chi_Minh: UTC+7 all year, no daylight saving), so that a
 * monthly figure sits at 00:00 on the 1st as the wall shows it.
 */
const VIETNAM_OFFSET_MS = 7 * 3_600_000;

const local = (year: number, monthIndex: number, day: number): number => Date.UTC(year, monthIndex, day) - VIETNAM_OFFSET_MS;

/** ISO 8601 week: week 1 holds the year's first Thursday; weeks start on Monday. */
function isoWeekStart(year: number, week: number): number {
  const jan4 = new Date(Date.UTC(year, 0, 4));
  const mondayOfWeek1 = 4 - ((jan4.getUTCDay() + 6) % 7);
  return local(year, 0, mondayOfWeek1 + (week - 1) * 7);
}

/** NaN for a string that is not a period (the schema refuses those before they get here). */
export function periodStart(period: string): number {
  const match = /^(\d{4})(?:-(?:Q([1-4])|W(\d{2})|(\d{2})(?:-(\d{2}))?))?$/.exec(period);
  if (!match) return NaN;
  const year = Number(match[1]);
  if (match[2]) return local(year, (Number(match[2]) - 1) * 3, 1);
  if (match[3]) return isoWeekStart(year, Number(match[3]));
  if (match[4]) return local(year, Number(match[4]) - 1, match[5] ? Number(match[5]) : 1);
  return local(year, 0, 1);
}

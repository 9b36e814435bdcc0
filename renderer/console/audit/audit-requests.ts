/**
 * The audit view's calls: a page of entries for the filters, and the whole filtered log as one CSV
 * file (fetched page by page, each bounded by the host; at most EXPORT_PAGES of them).
 */
import type { AuditEntry, AuditFilter } from '../../../native-bridge/contract.js';
import { session } from '../../session/session.js';

export const PAGE_SIZE = 100;
/** 200 pages of at most 2,000 rows: 400,000 entries, the most one export brings into the console. */
const EXPORT_PAGES = 200;

/** The form's fields as typed (datetime-local texts are read as Việt Nam time, as everything is shown). */
export interface AuditForm {
  person: string;
  action: string;
  from: string;
  to: string;
}

export const EMPTY_FORM: AuditForm = { person: '', action: '', from: '', to: '' };

const vietnamTime = (local: string): number | undefined => {
  if (local === '') return undefined;
  const ms = Date.parse(`${local.length === 16 ? `${local}:00` : local}+07:00`);
  return Number.isFinite(ms) ? ms : undefined;
};

export function filterOf(form: AuditForm): AuditFilter {
  const filter: AuditFilter = {};
  if (form.person) filter.person = form.person;
  if (form.action) filter.action = form.action;
  const from = vietnamTime(form.from);
  const to = vietnamTime(form.to);
  if (from !== undefined) filter.from = from;
  if (to !== undefined) filter.to = to + 59_999; // the whole minute typed
  return filter;
}

export async function auditPage(filter: AuditFilter, before?: number): Promise<{ entries: AuditEntry[]; next: number | null }> {
  return session().client.call('audit.list', { ...filter, limit: PAGE_SIZE, ...(before === undefined ? {} : { before }) });
}

/** The filtered log as CSV text (with a byte-order mark, so a spreadsheet reads the Vietnamese right). */
export async function auditCsv(filter: AuditFilter): Promise<{ csv: string; rows: number; fileName: string; complete: boolean }> {
  const parts: string[] = ['\uFEFF'];
  let rows = 0;
  let after = 0;
  let fileName = 'nhat-ky-kiem-toan.csv';
  for (let page = 0; page < EXPORT_PAGES; page++) {
    const answer = await session().client.call('audit.export', { ...filter, after });
    parts.push(answer.csv);
    rows += answer.rows;
    fileName = answer.fileName;
    if (answer.next === null) return { csv: parts.join(''), rows, fileName, complete: true };
    after = answer.next;
  }
  return { csv: parts.join(''), rows, fileName, complete: false };
}

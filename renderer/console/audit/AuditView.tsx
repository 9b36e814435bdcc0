/**
 * "Nhật ký kiểm toán": the host's tamper-evident audit log for administrators — filters (person,
 * kind of event, time), newest first with more on demand, CSV export — and the chain's
 * verification for administrators and technicians. Opened from the status strip.
 */
import { useCallback, useEffect, useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { AuditEntry, AuditFilter, AuditVerifyReport } from '../../../native-bridge/contract.js';
import { saveFile } from '../../download.js';
import { formatDate, formatTime } from '../../format.js';
import { errorMessage, session } from '../../session/session.js';
import { useAppStore } from '../../session/store.js';
import { usePermissions } from '../permissions.js';
import { auditCsv, auditPage, EMPTY_FORM, filterOf, type AuditForm } from './audit-requests.js';
import { actionText, actorText, detailsText, targetText, type AuditNames } from './audit-text.js';
import './audit.css';

const CATEGORIES = ['auth.', 'account.', 'wall.', 'scenario.', 'field.', 'gis.', 'gateway.', 'file.', 'audit.', 'pair.', 'drill.'] as const;
const stamp = (at: number) => `${formatTime(at)} ${formatDate(at)}`;

export function AuditView({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const links = useAppStore((s) => s.status?.links);
  const canRead = usePermissions().call('audit.list');
  const [people, setPeople] = useState<ReadonlyMap<string, string>>(new Map());
  const names: AuditNames = useMemo(() => ({ people, gateways: new Map((links ?? []).map((l) => [l.id, l.name])) }), [people, links]);
  const [form, setForm] = useState<AuditForm>(EMPTY_FORM);
  const [filter, setFilter] = useState<AuditFilter>({});
  const [entries, setEntries] = useState<AuditEntry[] | null>(null);
  const [next, setNext] = useState<number | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  useEffect(() => {
    if (!canRead) return;
    void session()
      .client.call('accounts.names', {})
      .then(({ people: list }) => setPeople(new Map(list.map((p) => [p.id, p.fullName]))), (e: unknown) => setError(errorMessage(e)));
  }, [canRead]);

  const load = useCallback(async (applied: AuditFilter, before?: number) => {
    setBusy(true);
    setError(null);
    try {
      const page = await auditPage(applied, before);
      setEntries((list) => (before === undefined ? page.entries : [...(list ?? []), ...page.entries]));
      setNext(page.next);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }, []);

  useEffect(() => {
    if (canRead) void load(filter);
  }, [canRead, filter, load]);

  const apply = (e: FormEvent) => {
    e.preventDefault();
    setNote(null);
    setFilter(filterOf(form));
  };

  const exportCsv = async () => {
    setBusy(true);
    setError(null);
    try {
      const { csv, rows, fileName, complete } = await auditCsv(filter);
      saveFile(csv, fileName, 'text/csv;charset=utf-8');
      setNote(t(complete ? 'audit.exported' : 'audit.exportedPart', { rows, file: fileName }));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="audit-backdrop" onPointerDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className="audit-view panel" role="dialog" aria-modal="true" aria-label={t('audit.title')} data-testid="audit-view">
        <header className="audit-head">
          <h2 className="panel-title">{t('audit.title')}</h2>
          <button type="button" className="btn btn-small" data-testid="audit-close" onClick={onClose}>
            {t('audit.close')}
          </button>
        </header>
        <VerifyBar />
        {canRead ? (
          <>
            <form className="audit-filters" onSubmit={apply} data-testid="audit-filters">
              <label>
                <span>{t('audit.person')}</span>
                <select name="person" value={form.person} onChange={(e) => setForm({ ...form, person: e.target.value })}>
                  <option value="">{t('audit.anyone')}</option>
                  {[...people].sort((a, b) => a[1].localeCompare(b[1], 'vi')).map(([id, name]) => (
                    <option key={id} value={id}>
                      {name}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                <span>{t('audit.kind')}</span>
                <select name="action" value={form.action} onChange={(e) => setForm({ ...form, action: e.target.value })}>
                  <option value="">{t('audit.anyKind')}</option>
                  {CATEGORIES.map((c) => (
                    <option key={c} value={c}>
                      {t(`audit.categories.${c.slice(0, -1)}`)}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                <span>{t('audit.from')}</span>
                <input name="from" type="datetime-local" value={form.from} onChange={(e) => setForm({ ...form, from: e.target.value })} />
              </label>
              <label>
                <span>{t('audit.to')}</span>
                <input name="to" type="datetime-local" value={form.to} onChange={(e) => setForm({ ...form, to: e.target.value })} />
              </label>
              <button type="submit" className="btn btn-primary" data-testid="audit-apply" disabled={busy}>
                {t('audit.apply')}
              </button>
              <button type="button" className="btn" data-testid="audit-export" disabled={busy} onClick={() => void exportCsv()}>
                {t('audit.export')}
              </button>
            </form>
            {note ? <div className="muted" data-testid="audit-note">{note}</div> : null}
            <AuditTable entries={entries} names={names} />
            {next !== null ? (
              <button type="button" className="btn" data-testid="audit-more" disabled={busy} onClick={() => void load(filter, next)}>
                {t('audit.more')}
              </button>
            ) : null}
          </>
        ) : (
          <p className="muted">{t('audit.verifyOnly')}</p>
        )}
        {error ? (
          <div className="field-error" role="alert">
            {error}
          </div>
        ) : null}
      </div>
    </div>
  );
}

function AuditTable({ entries, names }: { entries: AuditEntry[] | null; names: AuditNames }) {
  const { t } = useTranslation();
  if (entries === null) return <div className="muted">{t('common.loading')}</div>;
  if (entries.length === 0) return <div className="muted">{t('audit.empty')}</div>;
  return (
    <div className="audit-table-wrap">
      <table className="audit-table" data-testid="audit-table">
        <thead>
          <tr>
            <th>{t('audit.time')}</th>
            <th>{t('audit.actor')}</th>
            <th>{t('audit.action')}</th>
            <th>{t('audit.target')}</th>
            <th>{t('audit.details')}</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.seq} data-seq={e.seq} data-action={e.action}>
              <td className="audit-time" title={`#${e.seq}`}>
                {stamp(e.at)}
              </td>
              <td>{actorText(e.actor, names, t)}</td>
              <td>{actionText(e.action, t)}</td>
              <td>{targetText(e, names)}</td>
              <td className="audit-details">{detailsText(e.details)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** "Kiểm tra tính toàn vẹn": the host walks the chain, its signed heads and the journal. */
function VerifyBar() {
  const { t } = useTranslation();
  const canVerify = usePermissions().call('audit.verify');
  const [report, setReport] = useState<AuditVerifyReport | null>(null);
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (!canVerify) return null;
  const verify = async () => {
    setRunning(true);
    setError(null);
    try {
      setReport(await session().client.call('audit.verify', {}));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setRunning(false);
    }
  };
  const problem = report?.problems[0];
  return (
    <div className="audit-verify" data-testid="audit-verify" data-ok={report ? String(report.ok) : undefined}>
      <button type="button" className="btn" data-testid="audit-verify-run" disabled={running} onClick={() => void verify()}>
        {running ? t('audit.verifying') : t('audit.verify')}
      </button>
      {report && !problem ? <span className="audit-intact">{t('audit.intact', { entries: report.entries, heads: report.signedHeads, lastSigned: report.lastSignedSeq, unsigned: report.unsignedEntries })}</span> : null}
      {problem ? (
        <span className="audit-broken" role="alert" title={problem.message}>
          {t('audit.broken', { kind: t(`audit.problems.${problem.kind}`), seq: problem.seq, time: problem.at === null ? '—' : stamp(problem.at) })}
        </span>
      ) : null}
      {error ? <span className="field-error">{error}</span> : null}
    </div>
  );
}

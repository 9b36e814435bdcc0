/**
 * One run as the commander works it: where and why, who is in charge, the controls (escalate,
 * pause / resume, hand over, close, export the report) and the live procedure checklist — who did
 * each step and when, the second person's confirmation, and field commands from sent to
 * acknowledged or rejected by the gateway, or expired undelivered.
 */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ScenarioSummary } from '../../../native-bridge/contract.js';
import type { ScenarioRun, ScenarioStepSummary, StepState } from '../../../native-bridge/scenario-run.js';
import { formatStamp, formatTime } from '../../format.js';
import { act, exportReport } from './actions.js';
import { ConfirmDialog } from './ConfirmDialog.js';
import { runPersonName } from '../../../native-bridge/scenario-run.js';
import { usePermissions } from '../permissions.js';
import { useScenarios } from './scenarios-store.js';
import { pick } from './text.js';
import { endedAt, formatPlace, isOver, nextEscalation, nobodyInCharge, stepActions } from './view.js';
import { useAppStore } from '../../session/store.js';

export function RunView({ run }: { run: ScenarioRun }) {
  const { t, i18n } = useTranslation();
  const scenario = useScenarios((s) => s.scenarios.find((x) => x.name === run.scenario));
  const title = pick(run.title, i18n.language);
  const over = isOver(run);
  const ended = endedAt(run);
  const place = formatPlace(run.incident, i18n.language);
  const who = (id: string) => runPersonName(run, id, t('scenarios.system'));
  return (
    <article className={`run-view state-${run.state}`} data-testid="run-view" data-run-id={run.runId} data-run-state={run.state} data-scenario={run.scenario}>
      <header className="run-head">
        <h3 className="run-title">{title}</h3>
        <span className={`badge run-state state-${run.state}`} data-testid="run-state">
          {t(`scenarios.state.${run.state}`)}
        </span>
        {run.escalationLevel > 0 ? (
          <span className="badge badge-critical" data-testid="run-escalation" data-level={run.escalationLevel}>
            {t('scenarios.run.level', { level: run.escalationLevel })}
          </span>
        ) : null}
      </header>
      <dl className="run-facts">
        {place ? (
          <>
            <dt>{t('scenarios.run.where')}</dt>
            <dd data-testid="run-where">{place}</dd>
          </>
        ) : null}
        <dt>{t('scenarios.run.why')}</dt>
        <dd>{run.trigger ? pick(run.trigger, i18n.language) : t('scenarios.run.manual')}</dd>
        <dt>{t('scenarios.run.activated')}</dt>
        <dd>{t('scenarios.run.byAt', { who: who(run.activatedBy), time: formatStamp(run.activatedAt) })}</dd>
        <dt>{t('scenarios.run.inCharge')}</dt>
        <dd data-testid="run-in-charge" data-nobody={nobodyInCharge(run) || undefined}>
          {nobodyInCharge(run) ? <strong className="text-critical">{t('scenarios.run.nobodyInCharge')}</strong> : (run.handedTo ?? who(run.activatedBy))}
        </dd>
        {run.pausedAt !== null ? (
          <>
            <dt>{t('scenarios.run.paused')}</dt>
            <dd>{formatStamp(run.pausedAt)}</dd>
          </>
        ) : null}
        {ended !== null ? (
          <>
            <dt>{t('scenarios.run.ended')}</dt>
            <dd>{run.closedBy ? t('scenarios.run.byAt', { who: who(run.closedBy), time: formatStamp(ended) }) : formatStamp(ended)}</dd>
          </>
        ) : null}
      </dl>
      <RunControls run={run} scenario={scenario} />
      <ol className="procedure" data-testid="procedure">
        {run.steps.map((step, i) => (
          <StepRow key={step.stepId} index={i + 1} run={run} step={step} def={scenario?.procedure.find((p) => p.id === step.stepId)} />
        ))}
      </ol>
      {over ? <p className="muted hint">{t('scenarios.run.overHint')}</p> : null}
    </article>
  );
}

/** The run report, as a page to open in any browser or as a PDF to file and print. */
const REPORT_FORMATS = [
  { format: 'html', action: 'report', method: 'scenarios.report', label: 'scenarios.run.report', working: 'scenarios.run.exporting', audit: 'scenarios.actions.report' },
  { format: 'pdf', action: 'report-pdf', method: 'scenarios.reportPdf', label: 'scenarios.run.reportPdf', working: 'scenarios.run.printing', audit: 'scenarios.actions.reportPdf' },
] as const;

function RunControls({ run, scenario }: { run: ScenarioRun; scenario: ScenarioSummary | undefined }) {
  const { t, i18n } = useTranslation();
  const may = usePermissions();
  const [busy, setBusy] = useState<string | null>(null);
  const [handingOver, setHandingOver] = useState(false);
  const [to, setTo] = useState('');
  const [closing, setClosing] = useState(false);
  const [exported, setExported] = useState<{ fileName: string; bytes: number } | null>(null);
  const myName = useAppStore((s) => s.actor?.name ?? null);
  const over = isOver(run);
  const title = pick(run.title, i18n.language);
  const next = nextEscalation(run, scenario);
  const disabled = busy !== null;

  const run1 = async (key: string, task: () => Promise<unknown>) => {
    setBusy(key);
    await task();
    setBusy(null);
  };
  const handover = (e: FormEvent) => {
    e.preventDefault();
    const name = to.trim();
    if (!name) return;
    void run1('handover', async () => {
      if (await act('scenarios.handover', { runId: run.runId, to: name }, t('scenarios.actions.handover', { title, to: name }))) {
        setHandingOver(false);
        setTo('');
      }
    });
  };

  return (
    <div className="run-controls">
      {!over ? (
        <>
          {may.scenario('escalate') ? (
          <button
            type="button"
            className="btn btn-small"
            data-run-action="escalate"
            disabled={disabled || next === null}
            title={next?.title ? pick(next.title, i18n.language) : undefined}
            onClick={() => void run1('escalate', () => act('scenarios.escalate', { runId: run.runId }, t('scenarios.actions.escalate', { title })))}
          >
            {next ? t('scenarios.run.escalateTo', { level: next.level }) : t('scenarios.run.escalateMax')}
          </button>
          ) : null}
          {run.state === 'paused' ? (may.scenario('resume') ? (
            <button type="button" className="btn btn-small" data-run-action="resume" disabled={disabled} onClick={() => void run1('resume', () => act('scenarios.resume', { runId: run.runId }, t('scenarios.actions.resume', { title })))}>
              {t('scenarios.run.resume')}
            </button>
          ) : null) : may.scenario('pause') ? (
            <button type="button" className="btn btn-small" data-run-action="pause" disabled={disabled} onClick={() => void run1('pause', () => act('scenarios.pause', { runId: run.runId }, t('scenarios.actions.pause', { title })))}>
              {t('scenarios.run.pause')}
            </button>
          ) : null}
          {may.scenario('handover') && myName && nobodyInCharge(run) ? (
            <button
              type="button"
              className="btn btn-small btn-primary"
              data-run-action="take-charge"
              disabled={disabled}
              onClick={() => void run1('handover', () => act('scenarios.handover', { runId: run.runId, to: myName }, t('scenarios.actions.takeCharge', { title })))}
            >
              {t('scenarios.run.takeCharge')}
            </button>
          ) : null}
          {may.scenario('handover') ? (
          <button type="button" className="btn btn-small" data-run-action="handover" disabled={disabled} aria-expanded={handingOver} onClick={() => setHandingOver((h) => !h)}>
            {t('scenarios.run.handover')}
          </button>
          ) : null}
          {may.scenario('close') ? (
          <button type="button" className="btn btn-small btn-danger" data-run-action="close" disabled={disabled} onClick={() => setClosing(true)}>
            {t('scenarios.run.close')}
          </button>
          ) : null}
        </>
      ) : null}
      {REPORT_FORMATS.map((report) =>
        may.call(report.method) ? (
          <button
            key={report.action}
            type="button"
            className="btn btn-small"
            data-run-action={report.action}
            disabled={busy !== null}
            onClick={() => void run1(report.action, async () => setExported(await exportReport(run.runId, report.format, t(report.audit, { title }))))}
          >
            {busy === report.action ? t(report.working) : t(report.label)}
          </button>
        ) : null,
      )}
      {exported ? (
        <span className="muted run-exported" data-testid="report-exported" data-file={exported.fileName} data-bytes={exported.bytes}>
          {t('scenarios.run.exported', { file: exported.fileName })}
        </span>
      ) : null}
      {handingOver && !over ? (
        <form className="handover-form" onSubmit={handover}>
          <label>
            <span>{t('scenarios.run.handoverTo')}</span>
            <input data-testid="handover-to" value={to} maxLength={128} onChange={(e) => setTo(e.target.value)} autoComplete="off" />
          </label>
          <button type="submit" className="btn btn-small btn-primary" data-testid="handover-submit" disabled={disabled || to.trim() === ''}>
            {t('scenarios.run.handoverDo')}
          </button>
        </form>
      ) : null}
      {closing ? (
        <ConfirmDialog
          title={t('scenarios.run.closeTitle', { title })}
          confirmLabel={t('scenarios.run.close')}
          danger
          onCancel={() => setClosing(false)}
          onConfirm={() => {
            setClosing(false);
            void run1('close', () => act('scenarios.close', { runId: run.runId }, t('scenarios.actions.close', { title })));
          }}
        >
          <p>{t('scenarios.run.closeText')}</p>
        </ConfirmDialog>
      ) : null}
    </div>
  );
}

function StepRow({ index, run, step, def }: { index: number; run: ScenarioRun; step: StepState; def: ScenarioStepSummary | undefined }) {
  const { t, i18n } = useTranslation();
  const may = usePermissions();
  const [busy, setBusy] = useState(false);
  const can = stepActions(run, def, step, may.accountId);
  const title = def ? pick(def.title, i18n.language) : step.stepId;
  const disabled = busy;
  const who = (id: string | null) => (id === null ? '—' : runPersonName(run, id, t('scenarios.system')));
  const doIt = async (task: () => Promise<unknown>) => {
    setBusy(true);
    await task();
    setBusy(false);
  };
  const command = step.command;
  return (
    <li className={`step state-${step.state}`} data-step-id={step.stepId} data-step-state={step.state} data-command-state={command?.state ?? ''}>
      <div className="step-main">
        <span className="step-index">{index}</span>
        <div className="step-text">
          <div className="step-title">{title}</div>
          <div className="step-badges">
            {def ? <span className="badge">{t(`scenarios.role.${def.role}`)}</span> : null}
            {def?.automatic ? <span className="badge">{t('scenarios.step.automatic')}</span> : null}
            {def?.needsConfirmation ? <span className="badge badge-warn">{t('scenarios.step.twoPerson')}</span> : null}
          </div>
          <StepStatus step={step} who={who} />
        </div>
        {can.toggle && may.scenario('step') ? (
          <button
            type="button"
            className={`btn btn-small step-toggle${step.state === 'pending' ? ' btn-primary' : ''}`}
            data-step-action={can.toggle}
            disabled={disabled}
            onClick={() => void doIt(() => act('scenarios.step', { runId: run.runId, stepId: step.stepId, done: can.toggle === 'done' }, t(can.toggle === 'done' ? 'scenarios.actions.stepDone' : 'scenarios.actions.stepReopen', { step: title })))}
          >
            {can.toggle === 'done' ? t('scenarios.step.markDone') : t('scenarios.step.reopen')}
          </button>
        ) : null}
      </div>
      {step.state === 'awaiting-confirmation' && !isOver(run) && may.scenario('confirm') ? (
        <div className="step-confirm">
          <button
            type="button"
            className="btn btn-small btn-primary"
            data-step-action="confirm"
            disabled={disabled || !can.confirm}
            onClick={() => void doIt(() => act('scenarios.confirm', { runId: run.runId, stepId: step.stepId }, t('scenarios.actions.confirm', { step: title })))}
          >
            {t('scenarios.step.confirm')}
          </button>
          {can.confirmBlocked === 'same-person' ? <span className="field-error">{t('scenarios.step.secondPersonNeeded', { who: who(step.doneBy) })}</span> : null}
        </div>
      ) : null}
      {def?.command ? (
        <div className="step-command" data-testid="step-command">
          <span className="step-command-what">
            {t('scenarios.command.what', { type: t(`scenarios.command.type.${def.command.type}`, { defaultValue: def.command.type }), target: def.command.target, gateway: def.command.gateway })}
          </span>
          {!isOver(run) && command?.state !== 'sent' && command?.state !== 'done' && may.scenario('command') ? (
            <button
              type="button"
              className="btn btn-small btn-primary"
              data-step-action="send"
              disabled={disabled || !can.send}
              title={can.sendBlocked ? t(`scenarios.command.blocked.${can.sendBlocked}`) : undefined}
              onClick={() => void doIt(() => act('scenarios.command', { runId: run.runId, stepId: step.stepId }, t('scenarios.actions.command', { step: title })))}
            >
              {command?.state === 'rejected' || command?.state === 'expired' ? t('scenarios.command.resend') : t('scenarios.command.send')}
            </button>
          ) : null}
          {command ? (
            <span className={`command-state command-${command.state}`} data-testid="command-state" data-state={command.state}>
              {command.state === 'sent'
                ? t('scenarios.command.sent', { who: who(command.sentBy), time: formatTime(command.sentAt) })
                : command.state === 'done'
                  ? t('scenarios.command.done', { time: formatTime(command.ackAt ?? command.sentAt), gateway: def.command.gateway })
                  : command.state === 'expired'
                    ? t('scenarios.command.expired', { time: formatTime(command.ackAt ?? command.sentAt), gateway: def.command.gateway })
                    : t('scenarios.command.rejected', { detail: command.detail ?? '—' })}
            </span>
          ) : can.sendBlocked ? (
            <span className="muted">{t(`scenarios.command.blocked.${can.sendBlocked}`)}</span>
          ) : null}
        </div>
      ) : null}
    </li>
  );
}

function StepStatus({ step, who }: { step: StepState; who: (id: string | null) => string }) {
  const { t } = useTranslation();
  if (step.state === 'pending' || step.doneAt === null) return null;
  return (
    <div className="step-status" data-testid="step-status">
      <span>{t('scenarios.step.doneBy', { who: who(step.doneBy), time: formatTime(step.doneAt) })}</span>
      {step.state === 'awaiting-confirmation' ? <span className="step-awaiting"> · {t('scenarios.step.awaiting')}</span> : null}
      {step.confirmedBy && step.confirmedAt !== null ? <span> · {t('scenarios.step.confirmedBy', { who: who(step.confirmedBy), time: formatTime(step.confirmedAt) })}</span> : null}
      {step.note ? <div className="step-note">{step.note}</div> : null}
    </div>
  );
}

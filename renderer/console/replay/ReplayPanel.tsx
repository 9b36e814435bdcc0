/**
 * "Xem lại tường": pick a range, see what happened in it as marks on a timeline (commands, scenario
 * steps, alerts, field commands such as the siren, with who did them), scrub or jump to a mark or
 * a clock time, and see the whole wall as it was then — the miniature read-only, and the sensor
 * values, alerts and scenario steps its tiles showed.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ReplayAt } from '../../../native-bridge/contract.js';
import type { ReplayMark, ReplayTimeline } from '../../../native-bridge/replay.js';
import { AlertRow } from '../../components/AlertRow.js';
import { formatQuantity, formatStamp, formatTime } from '../../format.js';
import { session } from '../../session/session.js';
import { useLive } from '../../session/live-hooks.js';
import { useAppStore } from '../../session/store.js';
import { Miniature } from '../Miniature.js';
import { pick } from '../scenarios/text.js';
import { clockTimeIn, markText, percentOf, RANGES_MS, type MarkNames, type RangeName } from './marks.js';

/** Scrubbing asks the host at most this often. */
const SCRUB_DEBOUNCE_MS = 150;

const errorText = (error: unknown, noRecord: string): string => ((error as { code?: string }).code === 'not-found' ? noRecord : ((error as Error).message ?? String(error)));

export function ReplayPanel() {
  const { t, i18n } = useTranslation();
  const [rangeName, setRangeName] = useState<RangeName>('1h');
  const [end, setEnd] = useState(() => Date.now());
  const start = end - RANGES_MS[rangeName];
  const [timeline, setTimeline] = useState<ReplayTimeline | null>(null);
  const [time, setTime] = useState(end);
  const [shown, setShown] = useState<ReplayAt | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [clock, setClock] = useState('');
  const presets = useAppStore((s) => s.presets);
  const sensors = useLive((s) => s.sensors);
  const cameras = useLive((s) => s.cameras);
  const names: MarkNames = useMemo(
    () => ({
      preset: (name) => (presets?.find((p) => p.name === name) ? pick(presets.find((p) => p.name === name)!.title, i18n.language) : null),
      device: (id) => sensors.get(id)?.name ?? cameras.get(id)?.name ?? null,
    }),
    [presets, sensors, cameras, i18n.language],
  );

  useEffect(() => {
    let live = true;
    setTimeline(null);
    session()
      .client.call('replay.timeline', { from: start, to: end })
      .then((answer) => live && setTimeline(answer))
      .catch((e: unknown) => live && setError(errorText(e, t('replay.noRecord'))));
    return () => {
      live = false;
    };
  }, [start, end, t]);

  const asked = useRef(0);
  useEffect(() => {
    const ask = ++asked.current;
    const timer = setTimeout(() => {
      session()
        .client.call('replay.at', { time })
        .then((answer) => {
          if (ask !== asked.current) return;
          setShown(answer);
          setError(null);
        })
        .catch((e: unknown) => {
          if (ask !== asked.current) return;
          setShown(null);
          setError(errorText(e, t('replay.noRecord')));
        });
    }, SCRUB_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [time, t]);

  const refresh = useCallback(() => {
    const now = Date.now();
    setEnd(now);
    setTime(now);
  }, []);
  const jump = () => {
    const at = clockTimeIn(clock, start, end);
    if (at === null) setError(t('replay.badClock', { from: formatStamp(start), to: formatStamp(end) }));
    else setTime(at);
  };

  return (
    <div className="replay" data-testid="replay-panel" data-time={time} data-revision={shown?.revision ?? ''}>
      <div className="replay-controls">
        <label>
          {t('replay.range')}{' '}
          <select value={rangeName} onChange={(e) => setRangeName(e.target.value as RangeName)} data-testid="replay-range">
            {(Object.keys(RANGES_MS) as RangeName[]).map((name) => (
              <option key={name} value={name}>
                {t(`replay.ranges.${name}`)}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="btn btn-small" onClick={refresh}>
          {t('replay.untilNow')}
        </button>
        <form
          className="replay-clock"
          onSubmit={(e) => {
            e.preventDefault();
            jump();
          }}
        >
          <input value={clock} onChange={(e) => setClock(e.target.value)} placeholder="14:32" aria-label={t('replay.clock')} data-testid="replay-clock" size={8} />
          <button type="submit" className="btn btn-small">
            {t('replay.go')}
          </button>
        </form>
      </div>
      <Scrubber start={start} end={end} time={time} marks={timeline?.marks ?? []} names={names} onTime={setTime} />
      <div className="replay-moment" data-testid="replay-moment">
        <strong>{formatStamp(time)}</strong>
        {shown ? <span className="muted"> · {t('replay.revision', { revision: shown.revision, time: formatStamp(shown.revisionAt) })}</span> : null}
        {timeline?.truncated ? <span className="field-error"> · {t('replay.truncated', { count: timeline.marks.length })}</span> : null}
      </div>
      {error ? <div className="field-error" data-testid="replay-error">{error}</div> : null}
      <div className="replay-body">
        <div className="replay-wall">{shown ? <Miniature state={shown.state} selectedId={null} onSelect={() => {}} editable={false} /> : null}</div>
        {shown ? <ReplayDetails shown={shown} /> : null}
      </div>
      <MarkList marks={timeline?.marks ?? []} names={names} time={time} onTime={setTime} />
    </div>
  );
}

function Scrubber({ start, end, time, marks, names, onTime }: { start: number; end: number; time: number; marks: readonly ReplayMark[]; names: MarkNames; onTime: (t: number) => void }) {
  const { t, i18n } = useTranslation();
  return (
    <div className="replay-scrubber">
      <div className="replay-ticks">
        {marks.map((mark, i) => {
          const text = markText(t, mark, names, i18n.language);
          return (
            <button
              key={i}
              type="button"
              className={`replay-tick kind-${mark.kind}`}
              style={{ left: `${percentOf(mark.at, start, end)}%` }}
              title={`${formatTime(mark.at)} · ${text.what}${text.subject ? ` · ${text.subject}` : ''}${text.who ? ` · ${text.who}` : ''}`}
              onClick={() => onTime(mark.at)}
            />
          );
        })}
        <span className="replay-cursor" style={{ left: `${percentOf(time, start, end)}%` }} />
      </div>
      <input type="range" min={start} max={end} step={1000} value={Math.min(end, Math.max(start, time))} onChange={(e) => onTime(Number(e.target.value))} aria-label={t('replay.scrub')} data-testid="replay-scrub" />
      <div className="replay-scale muted">
        <span>{formatStamp(start)}</span>
        <span>{formatStamp(end)}</span>
      </div>
    </div>
  );
}

function MarkList({ marks, names, time, onTime }: { marks: readonly ReplayMark[]; names: MarkNames; time: number; onTime: (t: number) => void }) {
  const { t, i18n } = useTranslation();
  if (marks.length === 0) return <div className="muted">{t('replay.noMarks')}</div>;
  return (
    <ol className="replay-marks" data-testid="replay-marks">
      {[...marks].reverse().map((mark, i) => {
        const text = markText(t, mark, names, i18n.language);
        return (
          <li key={i} className={`replay-mark kind-${mark.kind}${mark.at <= time ? ' past' : ''}`} data-kind={mark.kind} data-what={mark.what}>
            <button type="button" className="link-button" onClick={() => onTime(mark.at)}>
              {formatTime(mark.at)}
            </button>{' '}
            <span className="replay-mark-what">{text.what}</span>
            {text.subject ? <span className="replay-mark-subject"> · {text.subject}</span> : null}
            {text.who ? <span className="replay-mark-who muted"> · {text.who}</span> : null}
          </li>
        );
      })}
    </ol>
  );
}

function ReplayDetails({ shown }: { shown: ReplayAt }) {
  const { t, i18n } = useTranslation();
  return (
    <div className="replay-details">
      {shown.runs.length > 0 ? (
        <section>
          <h3>{t('replay.runs')}</h3>
          {shown.runs.map((run) => (
            <div key={run.runId} className="replay-run" data-run={run.scenario}>
              <strong>{pick(run.title, i18n.language)}</strong> <span className="muted">
                ({t(`replay.runState.${run.state}`)}){run.activatedBy ? ` · ${run.activatedBy}` : ''}
              </span>
              <ol>
                {run.steps.map((step) => (
                  <li key={step.stepId} data-step={step.stepId} data-state={step.state}>
                    {t(`replay.stepState.${step.state}`)}
                    {step.doneBy ? ` · ${step.doneBy}` : ''}
                    {step.confirmedBy ? ` · ${t('replay.confirmedBy', { who: step.confirmedBy })}` : ''}
                  </li>
                ))}
              </ol>
            </div>
          ))}
        </section>
      ) : null}
      {shown.sensors.length > 0 ? (
        <section>
          <h3>{t('replay.sensors')}</h3>
          <table className="replay-sensors" data-testid="replay-sensors">
            <tbody>
              {shown.sensors.map((s) => (
                <tr key={s.id} data-sensor={s.id}>
                  <td>{s.name}</td>
                  <td className="muted">{s.commune}</td>
                  <td>{s.value === null ? '—' : formatQuantity(s.value, s.unit, i18n.language)}</td>
                  <td className="muted">{s.at === null ? '' : formatTime(s.at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
      <section>
        <h3>{t('alerts.title')}</h3>
        {shown.alerts.length === 0 ? (
          <div className="muted">{t('alerts.empty')}</div>
        ) : (
          <ol className="alert-list">
            {shown.alerts.slice(0, 20).map((a) => (
              <AlertRow key={a.id} alert={a} />
            ))}
          </ol>
        )}
      </section>
    </div>
  );
}

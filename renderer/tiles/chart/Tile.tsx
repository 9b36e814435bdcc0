/**
 * Indicator charts drawn with uPlot on one canvas: the history of up to six indicators over the
 * last rangeHours (indicators.history, refreshed every 30 s) with a dashed target line, or one
 * indicator's figures per commune as bars coloured by status (live, from the indicator feed).
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { HistoryPoint, IndicatorState, IndicatorView } from '../../../native-bridge/contract.js';
import { clockParts, formatNumber } from '../../format.js';
import { useIndicators } from '../../session/indicators-store.js';
import { session } from '../../session/session.js';
import type { TileProps } from '../types.js';
import { shortArea, STATUS_COLORS } from '../indicator/view.js';

const REFRESH_MS = 30_000;
const LINE_COLORS = ['#3ea6ff', '#2fd27a', '#ffb020', '#c77dff', '#ff6b6b', '#7ee0e0'];
/** Read from across the room: larger than uPlot's 12 px, in the wall's font. */
const AXIS = { stroke: '#c4d0e2', font: '16px "Be Vietnam Pro", system-ui, sans-serif', grid: { stroke: '#26344a', width: 1 }, ticks: { stroke: '#26344a', width: 1 } };
const TIME_ZONE = 'Asia/Ho_Chi_Minh';

export default function ChartTile({ tile }: TileProps<'chart'>) {
  const { t } = useTranslation();
  const { mode, ids, rangeHours, showTarget } = tile.props;
  const all = useIndicators((s) => s.indicators);
  const views = useMemo(() => ids.flatMap((id) => all.find((v) => v.id === id) ?? []), [all, ids]);
  if (ids.length === 0) return <div className="chart-tile empty muted">{t('chart.pick')}</div>;
  if (mode === 'communes') return <CommuneBars view={views[0]} />;
  return <TimeSeries ids={ids} views={views} rangeHours={rangeHours} showTarget={showTarget} />;
}

/** Follows the element's size; uPlot draws at a fixed size. */
function useSize(element: HTMLElement | null): { width: number; height: number } {
  const [size, setSize] = useState({ width: 0, height: 0 });
  useEffect(() => {
    if (!element) return;
    const observer = new ResizeObserver(([entry]) => {
      const { width, height } = entry!.contentRect;
      setSize((s) => (Math.abs(s.width - width) < 1 && Math.abs(s.height - height) < 1 ? s : { width: Math.floor(width), height: Math.floor(height) }));
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [element]);
  return size;
}

/**
 * One uPlot instance per chart, rebuilt only when its options or size change; new data goes into
 * the same instance (a wall runs for weeks: no canvas per refresh).
 */
function useUPlot(element: HTMLDivElement | null, options: Omit<uPlot.Options, 'width' | 'height'>, data: uPlot.AlignedData | null): void {
  const size = useSize(element);
  const plot = useRef<uPlot | null>(null);
  const latest = useRef(data);
  latest.current = data;
  useEffect(() => {
    if (!element || size.width < 40 || size.height < 40) return;
    const empty: uPlot.AlignedData = options.series.map(() => []) as unknown as uPlot.AlignedData;
    const chart = new uPlot({ ...options, width: size.width, height: size.height }, latest.current ?? empty, element);
    plot.current = chart;
    return () => {
      chart.destroy();
      plot.current = null;
    };
  }, [element, options, size.width, size.height]);
  useEffect(() => {
    if (plot.current && data) plot.current.setData(data);
  }, [data]);
}

function TimeSeries({ ids, views, rangeHours, showTarget }: { ids: readonly string[]; views: readonly IndicatorView[]; rangeHours: number; showTarget: boolean }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const [host, setHost] = useState<HTMLDivElement | null>(null);
  const [series, setSeries] = useState<{ id: string; points: HistoryPoint[] }[] | null>(null);
  const idsKey = ids.join(',');

  useEffect(() => {
    let alive = true;
    const load = async () => {
      try {
        const answer = await session().client.call('indicators.history', { ids: idsKey.split(','), from: Date.now() - rangeHours * 3_600_000, maxPoints: 600 });
        if (alive) setSeries(answer.series);
      } catch (error) {
        // link down or host starting: keep the last figures
        console.warn('ioc-wall: indicators.history', error);
      }
    };
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => {
      alive = false;
      clearInterval(timer);
    };
  }, [idsKey, rangeHours]);

  const first = views[0];
  const target = showTarget && first ? first.target : null;
  const labels = useMemo(() => ids.map((id) => views.find((v) => v.id === id)).map((v, i) => (v ? `${lang === 'en' ? v.title.en : v.title.vi}${v.unit ? ` (${v.unit})` : ''}` : ids[i]!)), [ids, views, lang]);
  const labelsKey = labels.join('|');

  const data = useMemo((): uPlot.AlignedData | null => {
    if (!series) return null;
    const tables = series.map((s): uPlot.AlignedData => [s.points.map(([at]) => at), s.points.map(([, v]) => v)]);
    const joined = tables.length === 1 ? tables[0]! : uPlot.join(tables);
    if (target === null) return joined;
    const [xs, ...ys] = joined;
    return [xs, ...ys, Array.from(xs, () => target)];
  }, [series, target]);

  const options = useMemo((): Omit<uPlot.Options, 'width' | 'height'> => {
    return {
      ms: 1,
      tzDate: (ms) => uPlot.tzDate(new Date(ms), TIME_ZONE),
      // the legend is the tile's own (above): uPlot's would push the canvas past the tile
      legend: { show: false },
      cursor: { show: false },
      scales: {
        // the chosen range, whatever the data: a gap in the history shows as a gap
        x: { time: true, range: () => [Date.now() - rangeHours * 3_600_000, Date.now()] },
        y: { range: (_u, min, max) => padded(min, max) },
      },
      axes: [{ ...AXIS, space: 90, values: (u, splits) => splits.map((ms) => timeLabel(ms, (u.scales.x!.max ?? 0) - (u.scales.x!.min ?? 0))) }, { ...AXIS, size: 64, values: (_u, splits, _axis, _space, incr) => splits.map((v) => tickLabel(v, incr, lang)) }],
      series: [
        {},
        ...labelsKey.split('|').map((label, i): uPlot.Series => ({ label, stroke: LINE_COLORS[i % LINE_COLORS.length], width: 2, spanGaps: true, points: { show: false } })),
        ...(target === null ? [] : [{ label: t('chart.target'), stroke: '#f1f5fb', width: 1, dash: [6, 6], points: { show: false } } satisfies uPlot.Series]),
      ],
    };
  }, [labelsKey, target, lang, t, rangeHours]);

  useUPlot(host, options, data);
  const empty = series !== null && series.every((s) => s.points.length === 0);
  return (
    <div className="chart-tile" data-chart-mode="time-series" data-points={series?.reduce((n, s) => n + s.points.length, 0) ?? 0}>
      <div className="chart-legend">
        {labels.map((label, i) => (
          <span key={ids[i]} className="chart-key">
            <i style={{ background: LINE_COLORS[i % LINE_COLORS.length] }} />
            {label}
          </span>
        ))}
        {target !== null ? (
          <span className="chart-key target">
            <i />
            {t('chart.target')}: {formatNumber(target, lang)}
          </span>
        ) : null}
      </div>
      <div ref={setHost} className="chart-canvas" />
      {empty ? <div className="chart-empty muted">{t('chart.noHistory')}</div> : null}
    </div>
  );
}

/** A tick as precise as the step between ticks ("99,5" for steps of 0.5), in the window's language. */
function tickLabel(value: number, step: number, lang: string): string {
  const digits = Math.min(6, Math.max(0, -Math.floor(Math.log10(step > 0 ? step : 1) + 1e-9)));
  return value.toLocaleString(lang === 'en' ? 'en-GB' : 'vi-VN', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** The data's extent with a margin; a flat line (100 % all day) sits mid-height, not on an edge. */
function padded(min: number | null, max: number | null): [number, number] {
  if (min === null || max === null) return [0, 100];
  const pad = max > min ? (max - min) * 0.1 : Math.max(1, Math.abs(max) * 0.05);
  return [min - pad, max + pad];
}

/** Vietnamese time on the axis, 24-hour: "14:30" within two days, "24/11" within a year, "11/2026" beyond. */
function timeLabel(ms: number, spanMs: number): string {
  const p = clockParts(ms);
  if (spanMs <= 2 * 86_400_000) return `${p.hour}:${p.minute}`;
  return spanMs <= 400 * 86_400_000 ? `${p.day}/${p.month}` : `${p.month}/${p.year}`;
}

const BAR_STATES: readonly (IndicatorState | 'none')[] = ['met', 'at-risk', 'not-met', 'none'];

function CommuneBars({ view }: { view: IndicatorView | undefined }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const [host, setHost] = useState<HTMLDivElement | null>(null);
  const communes = view?.communes;
  const names = useMemo(() => (communes ?? []).map((c) => shortArea(c.area)), [communes]);
  const namesKey = names.join('|');

  // one series per status, null where a commune is of another: each bar takes its status colour
  const data = useMemo((): uPlot.AlignedData | null => {
    if (!communes || communes.length === 0) return null;
    const xs = communes.map((_c, i) => i);
    return [xs, ...BAR_STATES.map((state) => communes.map((c) => ((c.status ?? 'none') === state ? c.value : null)))];
  }, [communes]);

  const target = view?.target ?? null;
  // a target line only where the target means something per commune (rates, shares, levels)
  const perCommuneTarget = communes?.some((c) => c.status !== null) ?? false;
  const options = useMemo((): Omit<uPlot.Options, 'width' | 'height'> => {
    const labels = namesKey.split('|');
    const bars = uPlot.paths.bars!({ size: [0.7, 80] });
    return {
      legend: { show: false },
      cursor: { show: false },
      scales: { x: { time: false, range: (_u, min, max) => [min - 0.5, max + 0.5] }, y: { range: (_u, min, max) => [Math.min(0, min), Math.max(max, target ?? max) * 1.08] } },
      axes: [
        { ...AXIS, rotate: -30, size: 110, space: 10, incrs: [1], values: (_u, splits) => splits.map((i) => labels[i] ?? '') },
        { ...AXIS, size: 64, values: (_u, splits, _axis, _space, incr) => splits.map((v) => tickLabel(v, incr, lang)) },
      ],
      series: [
        {},
        ...BAR_STATES.map((state): uPlot.Series => {
          const color = state === 'none' ? '#3ea6ff' : STATUS_COLORS[state];
          return { label: state, fill: color, stroke: color, paths: bars, points: { show: false } };
        }),
      ],
      hooks: {
        // the target across the bars, dashed, so a commune short of it shows at a glance
        draw: [
          (u) => {
            if (target === null || !perCommuneTarget) return;
            const y = Math.round(u.valToPos(target, 'y', true));
            const { ctx } = u;
            ctx.save();
            ctx.strokeStyle = '#f1f5fb';
            ctx.setLineDash([6 * devicePixelRatio, 6 * devicePixelRatio]);
            ctx.lineWidth = devicePixelRatio;
            ctx.beginPath();
            ctx.moveTo(u.bbox.left, y);
            ctx.lineTo(u.bbox.left + u.bbox.width, y);
            ctx.stroke();
            ctx.restore();
          },
        ],
      },
    };
  }, [namesKey, target, lang, perCommuneTarget]);

  useUPlot(host, options, data);
  if (!view) return <div className="chart-tile empty muted">{t('indicators.loading')}</div>;
  const title = lang === 'en' ? view.title.en : view.title.vi;
  return (
    <div className="chart-tile" data-chart-mode="communes" data-bars={communes?.length ?? 0}>
      <div className="chart-caption">
        {title}
        {view.unit ? ` (${view.unit})` : ''}
      </div>
      <div ref={setHost} className="chart-canvas" />
      {communes && communes.length === 0 ? <div className="chart-empty muted">{t('chart.noCommunes')}</div> : null}
    </div>
  );
}

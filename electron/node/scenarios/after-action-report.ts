/**
 * The after-action report of a scenario run: one self-contained HTML page (no script, no request
 * leaves it: inline CSS and SVG) in Vietnamese with English, with the run's summary, procedure,
 * the figures taken at activation, a small map of the incident and the full timeline. Every text
 * that came from a file, a gateway or a person is escaped.
 */
import { runPersonName, type LocalizedText, type RunLogEntry, type RunLogKind, type ScenarioRun } from '../../../native-bridge/contract.js';
import type { IndicatorView } from '../../../native-bridge/indicators.js';
import type { RunDocument } from './run-store.js';
import { maxOf } from '../../../native-bridge/extremes.js';
import { COMMAND_TEXT } from '../field/command-expiry-alerts.js';

/** Taken at activation and kept in the run log ('figures'): what the report shows as figures and map. */
export interface ActivationFigures {
  queries: { id: string; title: LocalizedText; total: number | null; groups: { key: Record<string, string>; count: number }[]; error?: string }[];
  /** The scenario's indicators at activation; absent in runs logged before they were taken. */
  indicators?: { values: Pick<IndicatorView, 'id' | 'title' | 'value' | 'unit' | 'target' | 'status' | 'period'>[]; error?: string };
  nearby: { id: string; name: string; layer: 'sensor' | 'camera'; kind: string; state: string; lon: number; lat: number; distanceM: number }[];
  radiusKm: number;
}

export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const TIME_ZONE = 'Asia/Ho_Chi_Minh';
const timeParts = new Intl.DateTimeFormat('en-GB', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });

/** dd/mm/yyyy HH:mm:ss in Asia/Ho_Chi_Minh. */
export function formatTime(epochMs: number | null): string {
  if (epochMs === null) return '—';
  const p: Record<string, string> = {};
  for (const part of timeParts.formatToParts(epochMs)) p[part.type] = part.value;
  return `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute}:${p.second}`;
}

const KIND_TEXT: Record<RunLogKind, [string, string]> = {
  activated: ['Kích hoạt kịch bản', 'Scenario activated'],
  figures: ['Số liệu lúc kích hoạt', 'Figures at activation'],
  'trigger-fired': ['Điều kiện kích hoạt xảy ra', 'Trigger fired'],
  'trigger-cleared': ['Điều kiện kích hoạt đã hết', 'Trigger cleared'],
  'step-done': ['Hoàn thành bước', 'Step done'],
  'step-reopened': ['Mở lại bước', 'Step reopened'],
  'step-confirmed': ['Xác nhận bước', 'Step confirmed'],
  'command-sent': ['Gửi lệnh tới hiện trường', 'Command sent to the field'],
  'command-acknowledged': ['Cổng kết nối xác nhận đã thực hiện lệnh', 'Command acknowledged as done'],
  'command-rejected': ['Lệnh bị từ chối', 'Command rejected'],
  'command-expired': ['Lệnh quá hạn, không được gửi', 'Command expired, not delivered'],
  escalated: ['Nâng mức ứng phó', 'Escalated'],
  paused: ['Tạm dừng', 'Paused'],
  resumed: ['Tiếp tục', 'Resumed'],
  'handed-over': ['Bàn giao', 'Handed over'],
  reverted: ['Tường trở lại bố cục trước', 'Wall back to the previous layout'],
  'revert-pending': ['Đếm ngược trở lại bố cục trước (còn bước chưa xong)', 'Countdown to the previous layout (steps still open)'],
  'wall-kept': ['Giữ tường kịch bản', 'Scenario wall kept'],
  'awaiting-close': ['Chờ chỉ huy đóng kịch bản', 'Awaiting close by a commander'],
  closed: ['Đóng kịch bản', 'Scenario closed'],
  'resumed-after-restart': ['Tiếp tục sau khi máy chủ khởi động lại', 'Resumed after a host restart'],
};

const STATE_TEXT: Record<RunDocument['run']['state'], string> = {
  active: 'Đang thực hiện / Active',
  paused: 'Tạm dừng / Paused',
  'awaiting-close': 'Chờ đóng / Awaiting close',
  cleared: 'Đã kết thúc (hết điều kiện) / Cleared',
  closed: 'Đã đóng / Closed',
};

const COMMAND_STATE_TEXT = { sent: 'đã gửi / sent', done: 'hiện trường đã thực hiện / done', rejected: 'bị từ chối / rejected', expired: 'quá hạn, không gửi / expired' } as const;
const NEARBY_STATE_TEXT: Record<string, string> = { normal: 'bình thường', warning: 'cảnh báo', critical: 'nguy hiểm', stale: 'mất dữ liệu' };
/** Kilometres with the Vietnamese decimal comma (the report is read in Vietnamese first). */
const km = (metres: number): string => `${(metres / 1000).toFixed(2).replace('.', ',')} km`;
const STEP_TEXT = { pending: 'Chưa làm / Pending', 'awaiting-confirmation': 'Chờ xác nhận / Awaiting confirmation', done: 'Đã xong / Done' } as const;
const ROLE_TEXT = { 'duty-operator': 'Trực ban / Duty operator', commander: 'Chỉ huy / Commander', technician: 'Kỹ thuật / Technician', 'field-unit': 'Lực lượng hiện trường / Field unit' } as const;

const both = (text: LocalizedText | null | undefined): string => (text ? `${escapeHtml(text.vi)}<br><span class="en">${escapeHtml(text.en)}</span>` : '');

/** A person's name as the run recorded it (escaped): reports name people, never account ids. */
const personOf = (run: ScenarioRun, id: string): string => escapeHtml(runPersonName(run, id, 'Hệ thống / System'));

function summaryTable(doc: RunDocument): string {
  const { run } = doc;
  const incident = run.incident
    ? `${run.incident.lat.toFixed(5)}, ${run.incident.lon.toFixed(5)}${run.incident.commune ? ` — ${escapeHtml(run.incident.commune)}` : ''}`
    : 'Không gắn vị trí / No location';
  const level = run.escalationLevel === 0 ? '0' : `${run.escalationLevel} — ${both(doc.definition.escalation.find((e) => e.level === run.escalationLevel)?.title)}`;
  const rows: [string, string][] = [
    ['Kịch bản / Scenario', `${both(run.title)} <code>${escapeHtml(run.scenario)}</code>`],
    ['Trạng thái / State', escapeHtml(STATE_TEXT[run.state])],
    ['Vị trí sự cố / Incident', incident],
    ['Điều kiện kích hoạt / Trigger', run.trigger ? both(run.trigger) : 'Kích hoạt thủ công / Manual activation'],
    ['Kích hoạt / Activated', `${formatTime(run.activatedAt)} — ${personOf(run, run.activatedBy)}`],
    ['Hết điều kiện / Cleared', formatTime(run.clearedAt)],
    ['Đóng / Closed', run.closedAt === null ? '—' : `${formatTime(run.closedAt)} — ${run.closedBy ? personOf(run, run.closedBy) : ''}`],
    ['Mức ứng phó / Escalation', level],
    ['Người phụ trách / In charge', run.handedTo ? escapeHtml(run.handedTo) : personOf(run, run.activatedBy)],
    ['Phiên bản tường khi áp dụng bố cục kịch bản / Wall revision that applied the scenario layout', String(run.revision)],
  ];
  return `<table class="kv">${rows.map(([k, v]) => `<tr><th>${k}</th><td>${v}</td></tr>`).join('')}</table>`;
}

function procedureTable(doc: RunDocument): string {
  const rows = doc.definition.procedure.map((step, i) => {
    const s = doc.run.steps.find((x) => x.stepId === step.id);
    const who = s?.doneBy ? `${personOf(doc.run, s.doneBy)}, ${formatTime(s.doneAt)}` : '—';
    const confirmed = s?.confirmedBy ? `${personOf(doc.run, s.confirmedBy)}, ${formatTime(s.confirmedAt)}` : step.needsConfirmation ? 'Cần xác nhận / Needs confirmation' : '—';
    const command = step.command
      ? `${escapeHtml(COMMAND_TEXT[step.command.type].vi)} / ${escapeHtml(COMMAND_TEXT[step.command.type].en)} → ${escapeHtml(step.command.target)}${s?.command ? `: ${COMMAND_STATE_TEXT[s.command.state]}${s.command.ackAt ? `, ${formatTime(s.command.ackAt)}` : ''}` : ': chưa gửi / not sent'}`
      : '—';
    return `<tr><td>${i + 1}</td><td>${both(step.title)}</td><td>${escapeHtml(ROLE_TEXT[step.role])}</td><td>${escapeHtml(STEP_TEXT[s?.state ?? 'pending'])}</td><td>${who}</td><td>${confirmed}</td><td>${command}</td></tr>`;
  });
  return `<table><thead><tr><th>#</th><th>Bước / Step</th><th>Vai trò / Role</th><th>Trạng thái / State</th><th>Thực hiện / Done by</th><th>Xác nhận / Confirmed by</th><th>Lệnh / Command</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function figuresSection(figures: ActivationFigures | null): string {
  if (!figures) return '<p>Không có số liệu lúc kích hoạt / No figures were taken at activation.</p>';
  if (figures.queries.length === 0) return '<p>Kịch bản không khai báo truy vấn số liệu / The scenario declares no queries.</p>';
  return figures.queries
    .map((q) => {
      if (q.total === null) return `<h3>${both(q.title)}</h3><p>Không tính được / Not available: ${escapeHtml(q.error ?? '')}</p>`;
      const groups = q.groups.map((g) => `<tr><td>${escapeHtml(Object.entries(g.key).map(([k, v]) => `${k}: ${v || '—'}`).join(', ') || 'tất cả / all')}</td><td class="num">${g.count}</td></tr>`).join('');
      return `<h3>${both(q.title)}</h3><table class="figures"><thead><tr><th>Nhóm / Group</th><th>Số lượng / Count</th></tr></thead><tbody>${groups}<tr class="total"><td>Tổng / Total</td><td class="num">${q.total}</td></tr></tbody></table>`;
    })
    .join('');
}

const INDICATOR_STATUS_TEXT: Record<IndicatorView['status'], string> = {
  met: 'Đạt / Met',
  'at-risk': 'Có nguy cơ không đạt / At risk',
  'not-met': 'Không đạt / Not met',
  'no-data': 'Chưa có số liệu / No data',
};

const number = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 2 });

function indicatorsSection(indicators: ActivationFigures['indicators']): string {
  if (!indicators) return '<p>Không có số liệu chỉ số / No indicator values were taken.</p>';
  if (indicators.error) return `<p>Không đọc được chỉ số / Indicators not available: ${escapeHtml(indicators.error)}</p>`;
  if (indicators.values.length === 0) return '<p>Kịch bản không khai báo chỉ số / The scenario declares no indicators.</p>';
  const rows = indicators.values.map((v) => {
    const value = v.value === null ? '—' : `${number.format(v.value)} ${escapeHtml(v.unit)}`;
    const period = v.period ? ` (${escapeHtml(v.period)})` : '';
    return `<tr class="indicator ${v.status}"><td>${both(v.title)}</td><td class="num">${value}${period}</td><td class="num">${number.format(v.target)} ${escapeHtml(v.unit)}</td><td>${INDICATOR_STATUS_TEXT[v.status]}</td></tr>`;
  });
  return `<table class="figures"><thead><tr><th>Chỉ số / Indicator</th><th>Giá trị / Value</th><th>Mục tiêu / Target</th><th>Đánh giá / Status</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

const STATE_COLOUR: Record<string, string> = { normal: '#2e7d32', warning: '#f9a825', critical: '#c62828', stale: '#757575' };

/** A small equirectangular map around the incident: sensors by state, cameras, the camera radius and a 1 km scale. */
export function incidentMapSvg(incident: { lon: number; lat: number }, figures: ActivationFigures | null): string {
  const width = 640;
  const height = 400;
  const margin = 24;
  const nearby = figures?.nearby ?? [];
  const kmPerLat = 111.32;
  const kmPerLon = kmPerLat * Math.cos((incident.lat * Math.PI) / 180);
  const radiusKm = Math.max(figures?.radiusKm ?? 1, maxOf(nearby.map((n) => n.distanceM / 1000)), 0.5);
  const scale = Math.min(width - 2 * margin, height - 2 * margin) / (2 * radiusKm * 1.05); // pixels per km
  const x = (lon: number) => width / 2 + (lon - incident.lon) * kmPerLon * scale;
  const y = (lat: number) => height / 2 - (lat - incident.lat) * kmPerLat * scale;
  // Names beside the marks while they stay legible (few enough); each mark's tooltip has it too.
  const labelled = nearby.length <= 20;
  const marks = nearby
    .map((n) => {
      const tip = `<title>${escapeHtml(n.name)} (${escapeHtml(NEARBY_STATE_TEXT[n.state] ?? n.state)}) — ${km(n.distanceM)}</title>`;
      const label = labelled ? `<text x="${(x(n.lon) + 8).toFixed(1)}" y="${(y(n.lat) + 4).toFixed(1)}" font-size="10" fill="#37474f">${escapeHtml(n.name)}</text>` : '';
      return n.layer === 'camera'
        ? `<rect x="${(x(n.lon) - 5).toFixed(1)}" y="${(y(n.lat) - 5).toFixed(1)}" width="10" height="10" fill="#1565c0">${tip}</rect>${label}`
        : `<circle cx="${x(n.lon).toFixed(1)}" cy="${y(n.lat).toFixed(1)}" r="6" fill="${STATE_COLOUR[n.state] ?? '#455a64'}" stroke="#fff">${tip}</circle>${label}`;
    })
    .join('');
  const ring = figures ? `<circle cx="${width / 2}" cy="${height / 2}" r="${(figures.radiusKm * scale).toFixed(1)}" fill="none" stroke="#90a4ae" stroke-dasharray="6 4"/>` : '';
  const kmBar = `<line x1="${margin}" y1="${height - margin}" x2="${(margin + scale).toFixed(1)}" y2="${height - margin}" stroke="#263238" stroke-width="3"/><text x="${margin}" y="${height - margin - 6}" font-size="12">1 km</text>`;
  const cross = `<g stroke="#b71c1c" stroke-width="3"><line x1="${width / 2 - 9}" y1="${height / 2 - 9}" x2="${width / 2 + 9}" y2="${height / 2 + 9}"/><line x1="${width / 2 - 9}" y1="${height / 2 + 9}" x2="${width / 2 + 9}" y2="${height / 2 - 9}"/></g>`;
  const legend = `<g font-size="12" transform="translate(${width - 190},16)"><rect width="180" height="88" fill="#fff" opacity="0.85"/><g stroke="#b71c1c" stroke-width="2" transform="translate(10,14)"><line x1="-5" y1="-5" x2="5" y2="5"/><line x1="-5" y1="5" x2="5" y2="-5"/></g><text x="22" y="18">Sự cố / Incident</text><rect x="5" y="30" width="10" height="10" fill="#1565c0"/><text x="22" y="40">Camera</text><circle cx="10" cy="57" r="5" fill="${STATE_COLOUR.normal}"/><circle cx="22" cy="57" r="5" fill="${STATE_COLOUR.warning}"/><circle cx="34" cy="57" r="5" fill="${STATE_COLOUR.critical}"/><text x="46" y="61">Cảm biến / Sensors</text><text x="10" y="80">Vòng: bán kính camera</text></g>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="Bản đồ sự cố / Incident map"><rect width="${width}" height="${height}" fill="#eceff1"/>${ring}${marks}${cross}${kmBar}${legend}</svg>`;
}

function timelineTable(entries: readonly RunLogEntry[], doc: RunDocument): string {
  const stepTitle = (id: string | null) => (id ? doc.definition.procedure.find((s) => s.id === id)?.title : undefined);
  // By time: a trigger fired before the run existed is logged at activation with its own time.
  const rows = [...entries].sort((a, b) => a.at - b.at || a.seq - b.seq).map((e) => {
    const [vi, en] = KIND_TEXT[e.kind];
    const step = stepTitle(e.stepId);
    return `<tr><td class="time">${formatTime(e.at)}</td><td>${escapeHtml(vi)}<br><span class="en">${escapeHtml(en)}</span></td><td>${personOf(doc.run, e.actor)}</td><td>${step ? both(step) : e.stepId ? escapeHtml(e.stepId) : ''}</td><td>${both(e.detail)}</td></tr>`;
  });
  return `<table class="timeline"><thead><tr><th>Thời gian / Time</th><th>Sự việc / What</th><th>Người / Who</th><th>Bước / Step</th><th>Chi tiết / Detail</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

const STYLE = `body{font-family:"Be Vietnam Pro","Segoe UI",Arial,sans-serif;margin:24px;color:#1b1f23}h1{margin-bottom:0}h1+p{margin-top:4px;color:#546e7a}
table{border-collapse:collapse;margin:8px 0 16px;width:100%}th,td{border:1px solid #cfd8dc;padding:4px 8px;text-align:left;vertical-align:top;font-size:13px}
thead th{background:#eceff1}table.kv{width:auto}table.kv th{background:#f5f7f8;white-space:nowrap}.en{color:#607d8b;font-size:12px}.num{text-align:right}
tr.total td{font-weight:bold}td.time{white-space:nowrap;font-variant-numeric:tabular-nums}table.figures{width:auto;min-width:320px}footer{color:#78909c;font-size:12px}`;

export function renderAfterActionReport(doc: RunDocument, entries: readonly RunLogEntry[], figures: ActivationFigures | null, generatedAt: number): string {
  const { run } = doc;
  const map = run.incident ? incidentMapSvg(run.incident, figures) : '<p>Không gắn vị trí / No location.</p>';
  return `<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>Báo cáo sau sự cố – ${escapeHtml(run.title.vi)}</title><style>${STYLE}</style></head>
<body>
<h1>Báo cáo sau sự cố: ${escapeHtml(run.title.vi)}</h1>
<p>After-action report: ${escapeHtml(run.title.en)} — ${escapeHtml(run.runId)}</p>
<h2>Tóm tắt / Summary</h2>
${summaryTable(doc)}
<h2>Bản đồ sự cố / Incident map</h2>
${map}
<h2>Số liệu lúc kích hoạt / Figures at activation</h2>
${figuresSection(figures)}
<h2>Chỉ số lúc kích hoạt / Indicators at activation</h2>
${indicatorsSection(figures?.indicators)}
<h2>Quy trình / Procedure</h2>
${procedureTable(doc)}
<h2>Diễn biến / Timeline</h2>
${timelineTable(entries, doc)}
<footer>Lập lúc / Generated ${formatTime(generatedAt)} (giờ Việt Nam, UTC+7) — ioc-wall</footer>
</body></html>
`;
}

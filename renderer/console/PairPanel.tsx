/**
 * The technician's console for the primary/backup pair (technicians and administrators): both
 * nodes side by side by name (ids as secondary text) with their configured role, Binary Star
 * state, uptime, heartbeat age, wall revision, gateways and windows, the replication lag, and the
 * two-actives alarm; the planned switchover and the failback, each behind a confirmation that
 * asks for the reason the host audits. It polls pair.status every second: heartbeat age and the
 * peer's counters move without any event.
 */
import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { pairNodeName, type NodeStatus, type PairConfig } from '../../native-bridge/contract.js';
import { formatDuration, formatNumber } from '../format.js';
import { useNow } from '../hooks/useNow.js';
import { errorMessage, session } from '../session/session.js';
import { showToast, useAppStore } from '../session/store.js';
import { pairActions, peerLive, type PairAction } from './pair-actions.js';
import { usePermissions } from './permissions.js';
import { ConfirmDialog } from './scenarios/ConfirmDialog.js';

const POLL_MS = 1000;

type Move = 'switchover' | 'failback';
type Pair = NonNullable<NodeStatus['pair']>;

export function PairPanel() {
  const may = usePermissions();
  if (!may.call('pair.status')) return null;
  return <PairConsole mayMove={may.call('pair.switchover') && may.call('pair.failback')} />;
}

/** The node's status, asked again every second while the link is up (null until the first answer). */
function usePolledStatus(): NodeStatus | null {
  const link = useAppStore((s) => s.link);
  const [status, setStatus] = useState<NodeStatus | null>(null);
  useEffect(() => {
    if (link !== 'up') return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const poll = async () => {
      try {
        const answer = await session().client.call('pair.status', {});
        if (!stopped) setStatus(answer.status);
      } catch {
        // the link overlay says the host is gone; the next poll asks again
      }
      if (!stopped) timer = setTimeout(() => void poll(), POLL_MS);
    };
    void poll();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }, [link]);
  return status;
}

function PairConsole({ mayMove }: { mayMove: boolean }) {
  const { t, i18n } = useTranslation();
  const config = useAppStore((s) => s.wall?.wall.pair ?? null);
  const status = usePolledStatus();
  const [asking, setAsking] = useState<Move | null>(null);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);

  const body = () => {
    if (!status) return <div className="muted">{t('pair.loading')}</div>;
    if (!status.pair || !config) return <p className="muted" data-testid="pair-standalone">{t('pair.standalone')}</p>;
    const pair = status.pair;
    const actions = pairActions(pair, mayMove);
    const selfId = status.nodeId;
    const peerId = pair.peer.nodeId;
    const name = (id: string) => pairNodeName(config, id)[i18n.language === 'en' ? 'en' : 'vi'];
    // the primary on the left whichever node this console is connected to
    const order = config.primary.id === selfId ? (['self', 'peer'] as const) : (['peer', 'self'] as const);
    return (
      <>
        {pair.twoActives ? (
          <div className="pair-alarm" role="alert" data-testid="pair-two-actives">
            {t('pair.twoActives')}
          </div>
        ) : null}
        <div className="pair-nodes">
          {order.map((side) => (side === 'self' ? <SelfCard key={selfId} status={status} name={name(selfId)} /> : <PeerCard key={peerId} pair={pair} config={config} name={name(peerId)} />))}
        </div>
        <div className="pair-lag" data-testid="pair-lag" data-lag={pair.replicationLagRevisions ?? ''}>
          {t('pair.lag')}: <strong>{pair.replicationLagRevisions === null ? t('pair.lagUnknown') : t('pair.lagValue', { count: pair.replicationLagRevisions })}</strong>
        </div>
        <div className="pair-actions">
          <MoveButton move="switchover" action={actions.switchover} busy={asking !== null} onClick={() => setAsking('switchover')} />
          <MoveButton move="failback" action={actions.failback} busy={asking !== null} onClick={() => setAsking('failback')} />
        </div>
        {result ? (
          <p className={result.ok ? 'pair-result' : 'pair-result sign-in-error'} data-testid="pair-result" data-ok={result.ok} role="status">
            {result.text}
          </p>
        ) : null}
        {asking ? (
          <MoveDialog
            move={asking}
            from={name(selfId)}
            to={name(peerId)}
            onDone={(outcome) => {
              setAsking(null);
              if (outcome === null) return;
              const text = outcome.ok ? t('pair.done', { node: name(peerId) }) : t('pair.failed', { message: outcome.message });
              setResult({ ok: outcome.ok, text });
              if (outcome.ok) showToast(text, 'info');
            }}
          />
        ) : null}
      </>
    );
  };

  return (
    <section className="panel pair-panel" data-testid="pair-panel">
      <h2 className="panel-title">{t('pair.title')}</h2>
      {body()}
    </section>
  );
}

/** One row of a node card. */
function Fact({ label, value, field }: { label: string; value: string; field: string }) {
  return (
    <div className="pair-fact" data-field={field}>
      <span className="muted">{label}</span> <span>{value}</span>
    </div>
  );
}

function NodeCard({ id, name, configured, state, isSelf, children }: { id: string; name: string; configured: 'primary' | 'backup'; state: string; isSelf: boolean; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <div className={`pair-node state-${state}`} data-node={id} data-state={state} data-self={isSelf}>
      <div className="pair-node-head">
        <strong className="pair-node-name">{name}</strong> <span className="muted">({id})</span>
        {isSelf ? <span className="badge">{t('pair.thisNode')}</span> : null}
      </div>
      <div className="pair-node-role">
        <span className="badge">{t(`pair.configured.${configured}`)}</span> <span className="pair-node-state">{t(`pair.state.${state}`)}</span>
      </div>
      {children}
    </div>
  );
}

function SelfCard({ status, name }: { status: NodeStatus; name: string }) {
  const { t, i18n } = useTranslation();
  const now = useNow();
  const pair = status.pair!;
  return (
    <NodeCard id={status.nodeId} name={name} configured={pair.configured} state={pair.state} isSelf>
      <Fact field="uptime" label={t('pair.uptime')} value={formatDuration(now - status.startedAt, i18n.language)} />
      <Fact field="heartbeat" label={t('pair.heartbeat')} value={t('pair.heartbeatSelf')} />
      <Fact field="revision" label={t('pair.revision')} value={String(status.revision)} />
      <Fact field="gateways" label={t('pair.gateways')} value={`${status.links.filter((l) => l.state === 'up').length}/${status.links.length}`} />
      <Fact field="windows" label={t('pair.windows')} value={String(status.windows.filter((w) => w.connected).length)} />
    </NodeCard>
  );
}

function PeerCard({ pair, config, name }: { pair: Pair; config: PairConfig; name: string }) {
  const { t, i18n } = useTranslation();
  const now = useNow();
  const peer = pair.peer;
  const known = (value: number | null, show: (n: number) => string) => (value === null ? t('pair.unknown') : show(value));
  const state = peer.state === null ? 'unknown' : peerLive(pair) ? peer.state : 'lost';
  return (
    <NodeCard id={peer.nodeId} name={name} configured={config.primary.id === peer.nodeId ? 'primary' : 'backup'} state={state} isSelf={false}>
      <Fact field="uptime" label={t('pair.uptime')} value={known(peer.startedAt, (at) => formatDuration(now - at, i18n.language))} />
      <Fact field="heartbeat" label={t('pair.heartbeat')} value={peer.heartbeatAgeMs === null ? t('pair.heartbeatNever') : t('pair.seconds', { value: formatNumber(peer.heartbeatAgeMs / 1000, i18n.language) })} />
      <Fact field="revision" label={t('pair.revision')} value={known(peer.revision, String)} />
      <Fact field="gateways" label={t('pair.gateways')} value={known(peer.gatewaysUp, String)} />
      <Fact field="windows" label={t('pair.windows')} value={known(peer.windowsConnected, String)} />
    </NodeCard>
  );
}

function MoveButton({ move, action, busy, onClick }: { move: Move; action: PairAction; busy: boolean; onClick: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="pair-action">
      <button type="button" className="btn" data-testid={`pair-${move}`} disabled={!action.enabled || busy} onClick={onClick}>
        {t(`pair.${move}`)}
      </button>
      {action.why ? (
        <span className="muted pair-why" data-testid={`pair-${move}-why`} data-why={action.why}>
          {t(`pair.why.${action.why}`)}
        </span>
      ) : null}
    </div>
  );
}

/** The confirmation: the reason (required, audited), then the call with its progress; answers the outcome, or null when cancelled. */
function MoveDialog({ move, from, to, onDone }: { move: Move; from: string; to: string; onDone: (outcome: { ok: true } | { ok: false; message: string } | null) => void }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const [working, setWorking] = useState(false);
  const go = async () => {
    setWorking(true);
    try {
      await session().client.call(move === 'switchover' ? 'pair.switchover' : 'pair.failback', { reason: reason.trim() });
      onDone({ ok: true });
    } catch (error) {
      onDone({ ok: false, message: errorMessage(error) });
    }
  };
  return (
    <ConfirmDialog
      title={t(`pair.confirm.${move}Title`)}
      confirmLabel={t('pair.confirm.ok')}
      danger
      confirmDisabled={working || reason.trim() === ''}
      onConfirm={() => void go()}
      onCancel={() => (working ? undefined : onDone(null))}
    >
      <p>{t(`pair.confirm.${move}Body`, { from, to })}</p>
      <label className="pair-reason">
        {t('pair.confirm.reason')}
        <textarea name="reason" rows={2} maxLength={500} autoFocus disabled={working} placeholder={t('pair.confirm.reasonPlaceholder')} value={reason} onChange={(e) => setReason(e.target.value)} />
      </label>
      {working ? (
        <p className="pair-working" role="status" data-testid="pair-working">
          {t('pair.confirm.working')}
        </p>
      ) : reason.trim() === '' ? (
        <p className="muted">{t('pair.confirm.reasonNeeded')}</p>
      ) : null}
    </ConfirmDialog>
  );
}

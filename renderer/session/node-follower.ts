/**
 * A window's WebSocket to a wall driven by a primary/backup pair: it follows the active node
 * without reloading the page (players, the map's Deck and tiles stay; session.ts resyncs by
 * revision on every link-up). node-choice.ts decides; this does: it points the transport at the
 * chosen node, votes `pair.activeLost` there every VOTE_EVERY_MS while it must, moves on a
 * `standby` refusal, and points the map's data requests at the node it is on.
 * A standalone host never names a peer, so nothing here ever moves.
 */
import { ContractClient, type ClientTransport } from '../../native-bridge/channel.js';
import { ContractError, type NodeStatus } from '../../native-bridge/contract.js';
import { connectWebSocket } from '../../native-bridge/transports/websocket-client.js';
import { setDataBase } from '../map/data-requests.js';
import { NodeChoice } from './node-choice.js';
import { useAppStore } from './store.js';

/** How often a window that lost its node asks the other to take over (as the failover bench's client does). */
const VOTE_EVERY_MS = 200;
/**
 * How long a planned move waits for answers still in flight on the node being left: the node
 * that hands the wall over says so (status.changed) just before it answers the switchover the
 * console asked for, and dropping the socket then would lose that answer.
 */
const SETTLE_BEFORE_MOVE_MS = 3000;

export function followingTransport(pageOrigin: string): ClientTransport {
  const choice = new NodeChoice(pageOrigin);
  const wsUrl = () => `${choice.target().replace(/^http/, 'ws')}/ws`;
  const lost = () => {
    if (choice.onLost(Date.now())) moved();
  };
  const inner = connectWebSocket(wsUrl, { onAttemptFailed: lost });
  const votes = new ContractClient(inner);
  let voting: ReturnType<typeof setInterval> | null = null;
  // a link dropped on purpose (moving to the other node) is not a lost node
  let movingOn = false;
  // calls made through this transport that have not been answered yet, and a move waiting for them
  let inFlight = 0;
  let moveWhenSettled: ReturnType<typeof setTimeout> | null = null;

  /** The node changed: map data comes from it from now on. */
  const moved = () => setDataBase(choice.target() === pageOrigin ? '' : choice.target());
  const moveNow = () => {
    if (moveWhenSettled) clearTimeout(moveWhenSettled);
    moveWhenSettled = null;
    movingOn = true;
    moved();
    inner.reconnectNow();
  };
  /** The node this window is on stopped driving the wall but still answers: let its answers arrive, then move. */
  const moveOnceSettled = () => {
    if (inFlight === 0) moveNow();
    else moveWhenSettled ??= setTimeout(moveNow, SETTLE_BEFORE_MOVE_MS);
  };
  const settled = () => {
    inFlight -= 1;
    if (inFlight === 0 && moveWhenSettled) moveNow();
  };
  const act = (answer: ReturnType<NodeChoice['onStatus']>) => {
    if (answer === 'go-back') moveOnceSettled();
    if (choice.state().kind === 'voting') startVoting();
    else stopVoting();
  };
  const onStatus = (status: Pick<NodeStatus, 'nodeId' | 'pair'>) => act(choice.onStatus(status, Date.now()));
  const vote = () => {
    const following = choice.state();
    const lostNode = (following.kind === 'voting' ? following.lostNode : null) ?? choice.peer()?.nodeId;
    if (!lostNode) return;
    const expected = choice.currentNodeId();
    votes
      .call('pair.activeLost', { lostNode })
      .then(({ status }) => expected && onStatus({ nodeId: expected, pair: status }))
      .catch(() => {}); // a lost link ends the vote below; the next link votes again
  };
  const startVoting = () => {
    if (voting || !inner.connected) return;
    // at once on arrival (the peer may be counted dead already), then every VOTE_EVERY_MS
    vote();
    voting = setInterval(vote, VOTE_EVERY_MS);
  };
  const stopVoting = () => {
    if (voting) clearInterval(voting);
    voting = null;
  };

  inner.onLink((up) => {
    if (up) {
      movingOn = false;
      if (choice.state().kind === 'voting') startVoting();
      return;
    }
    stopVoting();
    if (movingOn) return;
    // the node went away: its answers will not come, and lost() chooses where to go
    if (moveWhenSettled) clearTimeout(moveWhenSettled);
    moveWhenSettled = null;
    lost();
  });
  // hello's answer and status.changed reach the store through session.ts (validated there)
  useAppStore.subscribe((state, previous) => {
    if (state.status && state.status !== previous.status && state.link === 'up') onStatus(state.status);
  });

  return {
    invoke: (method, payload) => {
      inFlight += 1;
      return inner
        .invoke(method, payload)
        .catch((error: unknown) => {
          if (error instanceof ContractError && error.code === 'standby' && choice.onStandbyRefusal(error.message)) moveOnceSettled();
          throw error;
        })
        .finally(settled);
    },
    subscribe: (event, listener) => inner.subscribe(event, listener),
    onLink: (listener) => inner.onLink(listener),
    close: () => {
      if (moveWhenSettled) clearTimeout(moveWhenSettled);
      stopVoting();
      inner.close();
    },
  };
}

/**
 * The Binary Star state machine: the zguide's table row by row, then what this wall adds (terms
 * for two actives, two passives, handover, pauses of its own process), then two nodes wired to each
 * other through a simulated link for the failure stories of issue 14.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PairState } from '../../native-bridge/contract.js';
import { BinaryStar, type Configured, type StarEvent } from '../../electron/common/binary-star.js';

const DEAD = 2000;
const peer = (at: number, state: PairState, term = 0, handover = false): StarEvent => ({ kind: 'peer', at, state, term, handover });

/** A node brought into `state` through real events (never by setting fields). */
function nodeIn(state: PairState, configured: Configured = state === 'backup' ? 'backup' : 'primary'): { star: BinaryStar; at: number } {
  const star = new BinaryStar(configured, 0, DEAD);
  if (state === 'primary' || state === 'backup') return { star, at: 0 };
  if (state === 'active') {
    if (configured === 'primary') star.handle(peer(100, 'backup'));
    else {
      star.handle(peer(100, 'active', 1));
      star.handle({ kind: 'tick', at: 100 + DEAD });
      star.handle({ kind: 'vote', at: 100 + DEAD });
    }
  } else {
    star.handle(peer(100, configured === 'primary' ? 'active' : 'active', 1));
  }
  assert.equal(star.snapshot().state, state);
  return { star, at: star.snapshot().since };
}

describe('Binary Star: the zguide table', () => {
  // [state, configured, event, next state] — bstar.c's s_execute_fsm; client votes with the peer alive
  const rows: [PairState, Configured, StarEvent['kind'] | PairState, PairState][] = [
    ['primary', 'primary', 'backup', 'active'],
    ['primary', 'primary', 'active', 'passive'],
    ['primary', 'primary', 'primary', 'primary'],
    ['primary', 'primary', 'passive', 'primary'],
    ['backup', 'backup', 'active', 'passive'],
    ['backup', 'backup', 'primary', 'backup'],
    ['backup', 'backup', 'backup', 'backup'],
    ['backup', 'backup', 'passive', 'backup'],
    ['active', 'primary', 'primary', 'active'],
    ['active', 'primary', 'backup', 'active'],
    ['active', 'primary', 'passive', 'active'],
    ['passive', 'backup', 'primary', 'active'],
    ['passive', 'primary', 'backup', 'active'],
    ['passive', 'backup', 'active', 'passive'],
  ];
  for (const [state, configured, event, next] of rows) {
    it(`${state} (${configured}) + peer ${event} → ${next}`, () => {
      const { star, at } = nodeIn(state, configured);
      const result = star.handle(peer(at + 10, event as PairState, star.snapshot().term));
      assert.equal(star.snapshot().state, next);
      assert.equal(result.changed, state !== next);
    });
  }

  it('a vote to the active node is accepted and changes nothing', () => {
    const { star, at } = nodeIn('active');
    assert.deepEqual(star.handle({ kind: 'vote', at: at + 10 }), { changed: false, accepted: true, refusal: null, alarms: [] });
  });

  it('a backup waiting for its primary refuses votes, even after a long silence', () => {
    const star = new BinaryStar('backup', 0, DEAD);
    const result = star.handle({ kind: 'vote', at: 60_000 });
    assert.equal(result.accepted, false);
    assert.match(result.refusal!, /has not heard its primary/);
    assert.equal(star.snapshot().state, 'backup');
  });

  it('a starting primary takes a vote only once its peer had deadMs to speak up', () => {
    const star = new BinaryStar('primary', 0, DEAD);
    assert.equal(star.handle({ kind: 'vote', at: DEAD - 1 }).accepted, false);
    assert.equal(star.snapshot().state, 'primary');
    assert.equal(star.handle({ kind: 'vote', at: DEAD }).accepted, true);
    assert.equal(star.snapshot().state, 'active');
  });

  it('a passive node refuses a vote while its peer is alive and takes over once it is dead', () => {
    const { star } = nodeIn('passive', 'backup');
    star.handle(peer(5000, 'active', 1));
    const alive = star.handle({ kind: 'vote', at: 5000 + DEAD - 1 });
    assert.equal(alive.accepted, false);
    assert.match(alive.refusal!, /active node is alive/);
    assert.equal(star.snapshot().state, 'passive');
    // the peer's death alone moves nothing
    const tick = star.handle({ kind: 'tick', at: 5000 + DEAD });
    assert.deepEqual(tick.alarms, ['peer-lost']);
    assert.equal(star.snapshot().state, 'passive');
    const vote = star.handle({ kind: 'vote', at: 5000 + DEAD + 1 });
    assert.equal(vote.accepted, true);
    assert.equal(vote.changed, true);
    assert.equal(star.snapshot().state, 'active');
    assert.equal(star.snapshot().since, 5000 + DEAD + 1);
    assert.equal(star.snapshot().term, 2, 'a takeover raises the term past the peer it replaced');
  });
});

describe('Binary Star: what this wall adds', () => {
  it('two actives: the lower term yields, both raise the alarm', () => {
    const { star: older } = nodeIn('active', 'primary'); // term 1
    const result = older.handle(peer(9000, 'active', 2));
    assert.deepEqual(result.alarms, ['two-actives']);
    assert.equal(older.snapshot().state, 'passive');
    const { star: newer } = nodeIn('active', 'backup'); // term 2
    const kept = newer.handle(peer(9000, 'active', 1));
    // it had taken over from a dead peer: that peer is back, and active
    assert.deepEqual(kept.alarms, ['two-actives', 'peer-back']);
    assert.equal(newer.snapshot().state, 'active');
    assert.equal(newer.snapshot().twoActives, true, 'until the other has yielded');
    newer.handle(peer(9100, 'passive', 2));
    assert.equal(newer.snapshot().twoActives, false);
  });

  it('two actives on equal terms: the configured backup yields, the primary stays', () => {
    const primary = new BinaryStar('primary', 0, DEAD);
    primary.handle(peer(100, 'backup'));
    const term = primary.snapshot().term;
    primary.handle(peer(200, 'active', term));
    assert.equal(primary.snapshot().state, 'active');
    const { star: backup } = nodeIn('active', 'backup');
    backup.handle(peer(9000, 'active', backup.snapshot().term));
    assert.equal(backup.snapshot().state, 'passive');
  });

  it('two passives: the configured primary takes the wall, the backup waits', () => {
    const { star: primary } = nodeIn('passive', 'primary');
    primary.handle(peer(500, 'passive', 1));
    assert.equal(primary.snapshot().state, 'active');
    const { star: backup } = nodeIn('passive', 'backup');
    backup.handle(peer(500, 'passive', 1));
    assert.equal(backup.snapshot().state, 'passive');
  });

  it('a handover: the active goes passive, its peer takes the wall on hearing it, with a higher term', () => {
    const { star: from } = nodeIn('active', 'primary');
    const { star: to } = nodeIn('passive', 'backup');
    from.handle(peer(1000, 'passive', to.snapshot().term));
    const handover = from.handle({ kind: 'handover', at: 1100 });
    assert.equal(handover.accepted, true);
    assert.equal(from.snapshot().state, 'passive');
    assert.equal(from.snapshot().handingOver, true);
    // the peer's heartbeat from before it heard: two passives, but the one handing over does not take the wall back
    from.handle(peer(1150, 'passive', to.snapshot().term));
    assert.equal(from.snapshot().state, 'passive');
    to.handle(peer(1200, 'passive', from.snapshot().term, true));
    assert.equal(to.snapshot().state, 'active');
    assert.ok(to.snapshot().term > from.snapshot().term);
    from.handle(peer(1300, 'active', to.snapshot().term));
    assert.equal(from.snapshot().state, 'passive');
    assert.equal(from.snapshot().handingOver, false);
  });

  it('a handover needs an active node and a live passive peer', () => {
    const { star: passive } = nodeIn('passive', 'backup');
    assert.match(passive.handle({ kind: 'handover', at: 500 }).refusal!, /only the active node/);
    const { star: alone } = nodeIn('active', 'primary');
    assert.match(alone.handle({ kind: 'handover', at: 100 + DEAD + 1 }).refusal!, /not a live standby/);
    assert.equal(alone.snapshot().state, 'active');
  });

  it('a pause of its own process is not the peer dying: no vote takes over right after it', () => {
    const { star } = nodeIn('passive', 'backup');
    star.handle(peer(1000, 'active', 1));
    // the process was stopped for 10 s: its first event after is a client's vote
    const vote = star.handle({ kind: 'vote', at: 11_000 });
    assert.equal(vote.accepted, false);
    assert.equal(star.snapshot().state, 'passive');
    // the peer is heard again within the grace
    star.handle(peer(11_100, 'active', 1));
    assert.equal(star.handle({ kind: 'tick', at: 11_000 + DEAD }).alarms.length, 0);
    // and when it really is gone, the grace ends and a vote moves the wall
    star.handle({ kind: 'tick', at: 11_100 + DEAD });
    assert.equal(star.handle({ kind: 'vote', at: 11_100 + DEAD + 1 }).accepted, true);
  });

  it('peer lost and back are alarms once each, not on every tick', () => {
    const { star } = nodeIn('active', 'primary');
    let alarms: string[] = [];
    for (let at = 200; at <= 6000; at += 250) alarms = alarms.concat(star.handle({ kind: 'tick', at }).alarms);
    alarms = alarms.concat(star.handle(peer(6100, 'backup')).alarms);
    for (let at = 6200; at <= 7000; at += 250) alarms = alarms.concat(star.handle({ kind: 'tick', at }).alarms);
    assert.deepEqual(alarms, ['peer-lost', 'peer-back']);
    assert.equal(star.snapshot().state, 'active', 'the active node stays active with its peer gone');
  });
});

/** Two machines and a link that can be cut; heartbeats every second, ticks every 250 ms. */
function pairOf() {
  const primary = new BinaryStar('primary', 0, DEAD);
  const backup = new BinaryStar('backup', 0, DEAD);
  const nodes = { primary, backup };
  const stopped = new Set<Configured>();
  let linkUp = true;
  let at = 0;
  const beat = (from: Configured) => {
    const to: Configured = from === 'primary' ? 'backup' : 'primary';
    if (!linkUp || stopped.has(from) || stopped.has(to)) return;
    const s = nodes[from].snapshot();
    nodes[to].handle({ kind: 'peer', at, state: s.state, term: s.term, handover: s.handingOver });
  };
  let twoActivesSeen = 0;
  const run = (ms: number) => {
    for (const end = at + ms; at < end; ) {
      at += 250;
      for (const name of ['primary', 'backup'] as const) if (!stopped.has(name)) nodes[name].handle({ kind: 'tick', at });
      if (at % 1000 === 0) {
        beat('primary');
        beat('backup');
      }
      if (!stopped.has('primary') && !stopped.has('backup') && primary.snapshot().state === 'active' && backup.snapshot().state === 'active') twoActivesSeen++;
    }
  };
  return {
    nodes,
    run,
    states: () => [primary.snapshot().state, backup.snapshot().state],
    vote: (to: Configured) => nodes[to].handle({ kind: 'vote', at }),
    stop: (name: Configured) => stopped.add(name),
    resume: (name: Configured) => stopped.delete(name),
    cut: () => (linkUp = false),
    mend: () => (linkUp = true),
    twoActivesSeen: () => twoActivesSeen,
  };
}

describe('Binary Star: two nodes', () => {
  it('start: the primary drives the wall, the backup stands by', () => {
    const pair = pairOf();
    pair.run(3000);
    assert.deepEqual(pair.states(), ['active', 'passive']);
  });

  it('the active dies: nothing moves until a client votes, then the backup serves', () => {
    const pair = pairOf();
    pair.run(3000);
    pair.stop('primary');
    pair.run(1000);
    assert.equal(pair.vote('backup').accepted, false, 'heard a second ago');
    pair.run(5000);
    assert.equal(pair.nodes.backup.snapshot().state, 'passive', 'no takeover without a vote');
    assert.equal(pair.vote('backup').accepted, true);
    assert.equal(pair.nodes.backup.snapshot().state, 'active');
  });

  it('the primary stalls for 10 s and comes back: it finds the backup active and goes passive', () => {
    const pair = pairOf();
    pair.run(3000);
    pair.stop('primary');
    pair.run(3000);
    pair.vote('backup');
    pair.run(7000);
    pair.resume('primary');
    pair.run(2000);
    assert.deepEqual(pair.states(), ['passive', 'active']);
    assert.ok(pair.twoActivesSeen() <= 4, `two actives for at most one heartbeat (${pair.twoActivesSeen()} ticks)`);
  });

  it('a cut peer link: both alive, nobody votes, nothing moves', () => {
    const pair = pairOf();
    pair.run(3000);
    pair.cut();
    pair.run(10_000);
    assert.deepEqual(pair.states(), ['active', 'passive']);
    pair.mend();
    pair.run(2000);
    assert.deepEqual(pair.states(), ['active', 'passive']);
  });

  it('the backup dies: the primary carries on alone', () => {
    const pair = pairOf();
    pair.run(3000);
    pair.stop('backup');
    pair.run(10_000);
    assert.equal(pair.nodes.primary.snapshot().state, 'active');
  });

  it('switchover and failback leave exactly one active each time', () => {
    const pair = pairOf();
    pair.run(3000);
    assert.equal(pair.nodes.primary.handle({ kind: 'handover', at: 3000 }).accepted, true);
    pair.run(3000);
    assert.deepEqual(pair.states(), ['passive', 'active']);
    assert.equal(pair.nodes.backup.handle({ kind: 'handover', at: 6000 }).accepted, true);
    pair.run(3000);
    assert.deepEqual(pair.states(), ['active', 'passive']);
    assert.equal(pair.twoActivesSeen(), 0);
  });
});

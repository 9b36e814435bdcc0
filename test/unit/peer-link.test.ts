/**
 * The peer link over real ZeroMQ sockets with CURVE: two nodes exchange heartbeats and a journal
 * request; a third key is refused by ZAP, a client that does not know the server key gets nothing,
 * and frames outside the contract never reach the handlers.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import * as zmq from 'zeromq';
import { PEER_PROTOCOL_VERSION, type PairNode, type PeerFrame } from '../../native-bridge/contract.js';
import { PeerLink } from '../../electron/node/pair/peer-link.js';
import { reservedPort } from '../support/reserved-port.js';
import { until } from '../support/page-wait.js';

const silent = () => {};
const heartbeat = (nodeId: string, revision: number): Extract<PeerFrame, { kind: 'heartbeat' }> => ({
  kind: 'heartbeat',
  v: PEER_PROTOCOL_VERSION,
  nodeId,
  state: 'active',
  term: 1,
  handover: false,
  revision,
  startedAt: 1,
  gatewaysUp: 0,
  windowsConnected: 0,
});

async function nodes() {
  const keys = { a: zmq.curveKeyPair(), b: zmq.curveKeyPair() };
  const node = async (id: 'a' | 'b'): Promise<PairNode> => ({ id, address: `http://127.0.0.1:${await reservedPort()}`, peerLink: `tcp://127.0.0.1:${await reservedPort()}`, publicKey: keys[id].publicKey });
  return { keys, a: await node('a'), b: await node('b') };
}

function recorder() {
  const requests: PeerFrame[] = [];
  const replies: PeerFrame[] = [];
  return { requests, replies };
}

const links: PeerLink[] = [];
after(async () => {
  for (const link of links) await link.close();
});

describe('peer link', () => {
  it('heartbeats and a journal request cross over CURVE between the two nodes', async () => {
    const { keys, a, b } = await nodes();
    const seenByA = recorder();
    const seenByB = recorder();
    const linkA = new PeerLink({ self: a, peer: b, keyPair: keys.a, log: silent, handlers: { onRequest: (f) => seenByA.requests.push(f), onReply: (f) => seenByA.replies.push(f) } });
    const linkB = new PeerLink({
      self: b,
      peer: a,
      keyPair: keys.b,
      log: silent,
      handlers: {
        onRequest: (frame, reply) => {
          seenByB.requests.push(frame);
          if (frame.kind === 'journal.request') reply({ kind: 'journal.entries', v: PEER_PROTOCOL_VERSION, after: frame.after, head: 1, entries: [{ revision: 1, at: 5, actor: { id: 'system', role: 'system' }, command: { type: 'remove-tile', id: 'x' } }] });
        },
        onReply: (f) => seenByB.replies.push(f),
      },
    });
    links.push(linkA, linkB);
    await linkA.start();
    await linkB.start();
    await until(() => {
      linkA.send(heartbeat('a', 3));
      linkB.send(heartbeat('b', 4));
      return seenByA.requests.length > 0 && seenByB.requests.length > 0;
    }, 'heartbeats both ways');
    assert.equal((seenByA.requests[0] as { nodeId: string }).nodeId, 'b');
    assert.equal((seenByB.requests[0] as { nodeId: string }).nodeId, 'a');
    linkA.send({ kind: 'journal.request', v: PEER_PROTOCOL_VERSION, after: 0, limit: 10 });
    await until(() => seenByA.replies.length > 0, 'the journal answer');
    assert.deepEqual((seenByA.replies[0] as Extract<PeerFrame, { kind: 'journal.entries' }>).entries.map((e) => e.revision), [1]);
  });

  it('a key that is not the peer\'s is refused by ZAP; frames outside the contract are counted, never handled', async () => {
    const { keys, a, b } = await nodes();
    const handled: PeerFrame[] = [];
    const linkA = new PeerLink({ self: a, peer: b, keyPair: keys.a, log: silent, handlers: { onRequest: (f) => handled.push(f), onReply: (f) => handled.push(f) } });
    links.push(linkA);
    await linkA.start();
    const stranger = zmq.curveKeyPair();
    const intruder = new zmq.Dealer({ curveServerKey: keys.a.publicKey, curvePublicKey: stranger.publicKey, curveSecretKey: stranger.secretKey, linger: 0, sendTimeout: 500 });
    intruder.connect(a.peerLink);
    await until(() => linkA.counters.zapRefusals > 0, 'the ZAP refusal of a stranger key');
    intruder.close();
    // the peer's own key, sending garbage and frames of the wrong direction
    const peerSocket = new zmq.Dealer({ curveServerKey: keys.a.publicKey, curvePublicKey: keys.b.publicKey, curveSecretKey: keys.b.secretKey, linger: 0, sendTimeout: 2000 });
    peerSocket.connect(a.peerLink);
    await peerSocket.send('not json');
    await peerSocket.send(JSON.stringify({ kind: 'heartbeat', v: PEER_PROTOCOL_VERSION, nodeId: 'b' }));
    await peerSocket.send(JSON.stringify({ kind: 'journal.entries', v: PEER_PROTOCOL_VERSION, after: 0, head: 0, entries: [] }));
    await peerSocket.send(['two', 'frames']);
    await until(() => linkA.counters.refused >= 4, 'four refusals');
    assert.equal(handled.length, 0);
    await peerSocket.send(JSON.stringify(heartbeat('b', 9)));
    await until(() => handled.length === 1, 'a valid heartbeat after the garbage');
    peerSocket.close();
  });
});

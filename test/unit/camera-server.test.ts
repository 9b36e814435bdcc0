/**
 * The simulated cameras' live HLS server (sim/cameras/camera-server.ts) over real HTTP, on the
 * committed DEMO footage: playlists parse and slide with the wall clock, segments are MPEG-TS,
 * and the per-camera faults (stop, freeze, restart, resume) do what a wall has to detect.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import * as zmq from 'zeromq';
import { defaultDemoCameraDir, startCameraServer, type CameraServer } from '../../sim/cameras/camera-server.js';
import { demoInventory, startProvince } from '../../sim/province.js';
import { waitFor } from '../support/page-wait.js';

const CAMERAS = ['cam-01', 'cam-02', 'cam-03', 'cam-04', 'cam-05', 'cam-06'];
let server: CameraServer;

before(async () => {
  server = await startCameraServer({ port: 0, mediaDir: defaultDemoCameraDir(), cameras: CAMERAS });
});
after(async () => {
  await server.close();
});

const get = (path: string) => fetch(`${server.baseUrl}${path}`);

interface MediaPlaylist {
  version: number;
  targetDuration: number;
  mediaSequence: number;
  discontinuitySequence: number;
  segments: { uri: string; duration: number; programDateTime: number; discontinuity: boolean }[];
}

/** A strict little parser: every line is a known tag or a URI after an EXTINF. */
function parseMediaPlaylist(text: string): MediaPlaylist {
  const lines = text.split('\n');
  assert.equal(lines[0], '#EXTM3U');
  assert.equal(lines.at(-1), '', 'ends with a newline');
  const out: MediaPlaylist = { version: NaN, targetDuration: NaN, mediaSequence: NaN, discontinuitySequence: 0, segments: [] };
  let pending: { duration?: number; programDateTime?: number; discontinuity: boolean } = { discontinuity: false };
  for (const line of lines.slice(1, -1)) {
    const [tag, value = ''] = line.split(/:(.*)/s);
    if (tag === '#EXT-X-VERSION') out.version = Number(value);
    else if (tag === '#EXT-X-TARGETDURATION') out.targetDuration = Number(value);
    else if (tag === '#EXT-X-MEDIA-SEQUENCE') out.mediaSequence = Number(value);
    else if (tag === '#EXT-X-DISCONTINUITY-SEQUENCE') out.discontinuitySequence = Number(value);
    else if (tag === '#EXT-X-INDEPENDENT-SEGMENTS') continue;
    else if (tag === '#EXT-X-DISCONTINUITY') pending.discontinuity = true;
    else if (tag === '#EXT-X-PROGRAM-DATE-TIME') {
      assert.match(value, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      pending.programDateTime = Date.parse(value);
    } else if (tag === '#EXTINF') {
      assert.match(value, /^\d+(\.\d+)?,$/);
      pending.duration = Number.parseFloat(value);
    } else {
      assert.ok(!line.startsWith('#') && line.length > 0, `unexpected line ${JSON.stringify(line)}`);
      assert.ok(pending.duration !== undefined && pending.programDateTime !== undefined, `${line}: EXTINF and PROGRAM-DATE-TIME first`);
      out.segments.push({ uri: line, duration: pending.duration, programDateTime: pending.programDateTime, discontinuity: pending.discontinuity });
      pending = { discontinuity: false };
    }
  }
  assert.ok(Number.isInteger(out.version) && Number.isInteger(out.targetDuration) && Number.isInteger(out.mediaSequence), 'VERSION, TARGETDURATION, MEDIA-SEQUENCE');
  return out;
}

async function playlist(id: string, rendition: 'main' | 'sub' = 'sub'): Promise<MediaPlaylist> {
  const res = await get(`/cameras/${id}/${rendition}.m3u8`);
  assert.equal(res.status, 200, `${id} ${rendition}.m3u8`);
  assert.equal(res.headers.get('content-type'), 'application/vnd.apple.mpegurl');
  assert.equal(res.headers.get('cache-control'), 'no-cache');
  assert.equal(res.headers.get('access-control-allow-origin'), '*');
  return parseMediaPlaylist(await res.text());
}

test('media playlists are valid live HLS v3 with wall-clock program date-times', async () => {
  for (const rendition of ['main', 'sub'] as const) {
    const now = Date.now();
    const p = await playlist('cam-01', rendition);
    assert.equal(p.version, 3);
    assert.equal(p.targetDuration, 1);
    assert.equal(p.segments.length, 6);
    p.segments.forEach((s, i) => {
      assert.equal(s.uri, `${rendition}/${p.mediaSequence + i}.ts`);
      assert.equal(s.duration, 1);
      if (i > 0) assert.equal(s.programDateTime - p.segments[i - 1]!.programDateTime, 1000);
      // The clip (6 segments) wraps before every sequence number divisible by 6.
      assert.equal(s.discontinuity, i > 0 && (p.mediaSequence + i) % 6 === 0);
    });
    assert.equal(p.discontinuitySequence, Math.floor(p.mediaSequence / 6));
    const newest = p.segments.at(-1)!.programDateTime;
    assert.ok(newest <= now && now - newest < 2000, `newest segment starts ${now - newest} ms before now`);
  }
});

test('the master playlist lists both variants', async () => {
  const res = await get('/cameras/cam-02/index.m3u8');
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/vnd.apple.mpegurl');
  const lines = (await res.text()).trim().split('\n');
  assert.equal(lines[0], '#EXTM3U');
  const variants = lines.flatMap((line, i) => (line.startsWith('#EXT-X-STREAM-INF:') ? [{ attrs: line, uri: lines[i + 1] }] : []));
  assert.deepEqual(
    variants.map((v) => v.uri),
    ['main.m3u8', 'sub.m3u8'],
  );
  const [main, sub] = variants.map((v) => ({
    bandwidth: Number(/[:,]BANDWIDTH=(\d+)/.exec(v.attrs)?.[1]),
    resolution: /RESOLUTION=(\d+x\d+)/.exec(v.attrs)?.[1],
    codecs: /CODECS="([^"]+)"/.exec(v.attrs)?.[1],
  }));
  assert.equal(main!.resolution, '1280x720');
  assert.equal(sub!.resolution, '640x360');
  assert.deepEqual(server.renditions.main, { width: 1280, height: 720, codecs: main!.codecs });
  assert.match(main!.codecs!, /^avc1\.[0-9a-f]{6}$/);
  assert.ok(main!.bandwidth > sub!.bandwidth && sub!.bandwidth > 50_000 && main!.bandwidth < 2_000_000, `bandwidths ${main!.bandwidth} / ${sub!.bandwidth}`);
});

test('segments are MPEG-TS, served with the right headers', async () => {
  const p = await playlist('cam-03', 'main');
  for (const seg of [p.segments[0]!, p.segments.at(-1)!]) {
    const res = await get(`/cameras/cam-03/${seg.uri}`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'video/mp2t');
    assert.equal(res.headers.get('access-control-allow-origin'), '*');
    const body = new Uint8Array(await res.arrayBuffer());
    assert.ok(body.length > 10_000 && body.length % 188 === 0, `${body.length} bytes`);
    for (let i = 0; i < body.length; i += 188) assert.equal(body[i], 0x47, `sync byte of packet ${i / 188}`);
  }
  // Segment n is the clip's segment n mod 6: the same bytes six segments apart.
  const a = await get(`/cameras/cam-03/sub/${p.mediaSequence}.ts`).then((r) => r.arrayBuffer());
  const b = await get(`/cameras/cam-03/sub/${p.mediaSequence - 6}.ts`).then((r) => r.arrayBuffer());
  assert.deepEqual(new Uint8Array(a), new Uint8Array(b));
  // Not published yet.
  assert.equal((await get(`/cameras/cam-03/sub/${p.mediaSequence + 60}.ts`)).status, 404);

  const snapshot = await get('/cameras/cam-03/snapshot.jpg');
  assert.equal(snapshot.status, 200);
  assert.equal(snapshot.headers.get('content-type'), 'image/jpeg');
  const jpeg = new Uint8Array(await snapshot.arrayBuffer());
  assert.deepEqual([...jpeg.subarray(0, 3)], [0xff, 0xd8, 0xff]);
});

test('live: one segment per second; freeze holds the sequence; resume continues', async () => {
  const live0 = await playlist('cam-04');
  server.freeze('cam-05');
  const frozen0 = await playlist('cam-05');
  // two segments published on the live camera: the frozen one has had the same time to move
  const live1 = await waitFor('cam-04 to publish two segments', 10_000, async () => {
    const p = await playlist('cam-04');
    return p.mediaSequence >= live0.mediaSequence + 2 ? p : null;
  }, 50);
  const frozen1 = await playlist('cam-05');
  // one second of footage per segment, dated one second apart (the server's clock, not this test's)
  const advanced = live1.mediaSequence - live0.mediaSequence;
  assert.ok(live1.segments.every((seg) => seg.duration === 1));
  assert.equal(live1.segments.at(-1)!.programDateTime - live0.segments.at(-1)!.programDateTime, advanced * 1000);
  assert.equal(frozen1.mediaSequence, frozen0.mediaSequence);
  assert.deepEqual(frozen1.segments, frozen0.segments);
  assert.equal(server.status('cam-05').state, 'frozen');

  server.resume('cam-05');
  const resumed = await waitFor('cam-05 to publish again', 10_000, async () => {
    const p = await playlist('cam-05');
    return p.mediaSequence > frozen1.mediaSequence ? p : null;
  }, 50);
  assert.equal(server.status('cam-05').state, 'live');
  // It continues where it stalled (no segment skipped), its date-times jumping over the stall.
  const stalledNewest = frozen1.segments.at(-1)!;
  const next = resumed.segments.find((seg) => seg.uri === `sub/${frozen1.mediaSequence + frozen1.segments.length}.ts`);
  assert.ok(next, `the segment after ${stalledNewest.uri} is listed: ${resumed.segments.map((seg) => seg.uri).join(' ')}`);
  assert.ok(next.programDateTime - stalledNewest.programDateTime > 2000, 'dated after the stall, not where it stopped');
});

test('stop answers 404 until resume; restart begins a new session at sequence 0', async () => {
  const before = await playlist('cam-06');
  assert.ok(before.mediaSequence > 100, 'a camera has been "up" for a while');
  server.stop('cam-06');
  for (const path of ['sub.m3u8', 'main.m3u8', 'index.m3u8', `sub/${before.mediaSequence}.ts`, `main/${before.mediaSequence}.ts`, 'snapshot.jpg']) {
    const res = await get(`/cameras/cam-06/${path}`);
    assert.equal(res.status, 404, path);
    assert.match(await res.text(), /offline/);
  }
  server.resume('cam-06');
  assert.ok((await playlist('cam-06')).mediaSequence >= before.mediaSequence);

  server.restart('cam-06');
  const rebooted = await playlist('cam-06');
  assert.ok(rebooted.mediaSequence <= 1, `media sequence ${rebooted.mediaSequence} after restart`);
  assert.equal(rebooted.segments[0]!.uri, `sub/${rebooted.mediaSequence}.ts`);
  assert.ok(rebooted.segments.length >= 3);
  // The old session's segment numbers are gone.
  assert.equal((await get(`/cameras/cam-06/sub/${before.mediaSequence}.ts`)).status, 404);
  // Other cameras are not affected.
  assert.ok((await playlist('cam-01')).mediaSequence > 100);
});

test('unknown cameras and paths answer 404 with a message', async () => {
  const res = await get('/cameras/cam-99/sub.m3u8');
  assert.equal(res.status, 404);
  assert.match(await res.text(), /unknown camera "cam-99"/);
  assert.equal((await get('/cameras/cam-01/other.m3u8')).status, 404);
  assert.equal((await get('/nothing')).status, 404);
  assert.throws(() => server.freeze('cam-99'), /unknown camera/);
  const list = (await get('/cameras').then((r) => r.json())) as { cameras: { id: string; sub: string }[] };
  assert.deepEqual(
    list.cameras.map((c) => c.id),
    CAMERAS,
  );
  assert.equal(list.cameras[0]!.sub, `${server.baseUrl}/cameras/cam-01/sub.m3u8`);
});

test('startProvince({ cameraServer }) serves its cameras and advertises them', async () => {
  const province = await startProvince({
    endpoints: { updates: 'tcp://127.0.0.1:1', control: 'tcp://127.0.0.1:2' }, // never connects: not needed here
    hostPublicKey: zmq.curveKeyPair().publicKey,
    gatewayKeys: { 'gw-giao-thong': zmq.curveKeyPair() },
    only: ['gw-giao-thong'],
    reportEverySeconds: 0,
    cameraServer: { port: 0 },
  });
  const cameraServer = province.cameraServer!;
  try {
    assert.equal(cameraServer.cameras.length, demoInventory().cameras);
    const cam = province.gateway('gw-giao-thong').get('camera', 'cam-01');
    assert.ok(cam?.type === 'camera');
    assert.deepEqual(cam.streams.main, { url: `${cameraServer.baseUrl}/cameras/cam-01/main.m3u8`, width: 1280, height: 720 });
    assert.deepEqual(cam.streams.sub, { url: `${cameraServer.baseUrl}/cameras/cam-01/sub.m3u8`, width: 640, height: 360 });
    const res = await fetch(cam.streams.sub.url);
    assert.equal(res.status, 200);
    assert.equal(parseMediaPlaylist(await res.text()).segments.length, 6);
  } finally {
    await province.stop();
  }
  await assert.rejects(fetch(`${cameraServer.baseUrl}/cameras`), 'closed with the province');
});

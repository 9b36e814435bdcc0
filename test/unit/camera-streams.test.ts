import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { backoffMs, chooseStream, containedPicture, pictureInView, startFailed } from '../../renderer/video/streams.js';

const camera = {
  streams: {
    main: { url: 'http://127.0.0.1:1/cameras/cam-01/main.m3u8', width: 1280, height: 720 },
    sub: { url: 'http://127.0.0.1:1/cameras/cam-01/sub.m3u8', width: 640, height: 360 },
  },
};

describe('the stream a camera cell plays', () => {
  it('takes the sub stream while it covers the cell at the display density, the main one beyond', () => {
    assert.equal(chooseStream(camera, 'auto', 480, 270, 1), 'sub');
    assert.equal(chooseStream(camera, 'auto', 640, 360, 1), 'sub');
    assert.equal(chooseStream(camera, 'auto', 641, 360, 1), 'main', 'one pixel wider than the sub stream');
    assert.equal(chooseStream(camera, 'auto', 480, 270, 2), 'main', 'the same cell on a 2× display');
    assert.equal(chooseStream(camera, 'auto', 1920, 1080, 1), 'main', 'nothing covers a maximized tile: the largest');
    assert.equal(chooseStream(camera, 'sub', 1920, 1080, 1), 'sub', 'a tile set to a stream keeps it');
  });

  it('gives up on a player with no first frame after 12 s, but waits up to 36 s while its media decodes (a starved machine, not a lost camera)', () => {
    assert.equal(startFailed(11_000, false), false);
    assert.equal(startFailed(13_000, false), true, 'nothing arriving: no signal');
    assert.equal(startFailed(13_000, true), false, 'decoding: still connecting, not "MẤT TÍN HIỆU"');
    assert.equal(startFailed(35_000, true), false);
    assert.equal(startFailed(37_000, true), true, 'a pipeline that never presents a frame still fails');
  });
  it('retries a failed player after 2 s, doubling up to 30 s', () => {
    assert.deepEqual([0, 1, 2, 3, 4, 5, 40].map(backoffMs), [2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000]);
  });
});

describe('whether a camera cell shows any of its picture', () => {
  // a 528 × 439 cell holds a 16:9 picture 528 × 297 with 71 px bars above and below
  const cell = { x: 326, y: -436, width: 528, height: 439 };

  it('places a frame as object-fit: contain does', () => {
    const picture = containedPicture(cell, 16 / 9);
    assert.equal(picture.width, 528);
    assert.equal(picture.height, 297);
    assert.equal(picture.y, -436 + 71);
    const pillarboxed = containedPicture({ x: 0, y: 0, width: 400, height: 100 }, 4 / 3);
    assert.deepEqual(
      Object.values(pillarboxed).map((v) => Math.round(v * 10) / 10),
      [133.3, 0, 133.3, 100],
      'a 4:3 frame in a wide cell: bars left and right',
    );
  });

  it('is false for a cell whose only part in the window is its letterbox bar, true once the picture reaches in', () => {
    // the grid spans two displays: this window sees the bottom 3 px of the cell, all bar
    assert.equal(pictureInView(cell, { x: 326, y: 0, width: 528, height: 3 }, 16 / 9), false);
    // 80 px of the cell: the bottom 9 px of the picture
    const lower = { ...cell, y: -359 };
    assert.equal(pictureInView(lower, { x: 326, y: 0, width: 528, height: 80 }, 16 / 9), true);
    assert.equal(pictureInView(cell, null, 16 / 9), false, 'not in the window at all');
    // a wide cell pillarboxes a 4:3 camera: only its side bar in view
    const wide = { x: -300, y: 0, width: 400, height: 100 };
    assert.equal(pictureInView(wide, { x: 0, y: 0, width: 100, height: 100 }, 4 / 3), false);
    assert.equal(pictureInView(wide, { x: 0, y: 0, width: 100, height: 100 }, 3), true, 'a panoramic camera fills the cell further');
    assert.equal(pictureInView(cell, { x: cell.x, y: 0, width: cell.width, height: 3 }, 0), true, 'no known shape: any visible part counts');
  });
});

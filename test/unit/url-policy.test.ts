import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isAllowedRequestUrl, isLocalNetworkHost } from '../../electron/common/url-policy.js';

describe('url policy', () => {
  it('allows the app, in-page and local-network URLs', () => {
    for (const url of [
      'app://wall/index.html?window=r0c0',
      'data:image/png;base64,AAAA',
      'blob:app://wall/1234',
      'http://127.0.0.1:8080/x',
      'ws://localhost:9000/ws?token=t',
      'http://10.1.2.3/cam/index.m3u8',
      'https://172.20.0.5/x',
      'http://192.168.1.10/x',
      'http://[::1]:8080/',
      'http://[fd12:3456::1]/',
      'http://camera-01/stream.m3u8',
      'http://nvr.local/x',
    ]) {
      assert.equal(isAllowedRequestUrl(url), true, url);
    }
  });

  it('refuses the internet, odd schemes and garbage', () => {
    for (const url of ['https://fonts.googleapis.com/css', 'http://8.8.8.8/', 'http://172.32.0.1/', 'https://unpkg.com/x.js', 'file:///etc/passwd', 'ftp://10.0.0.1/', 'not a url']) {
      assert.equal(isAllowedRequestUrl(url), false, url);
    }
  });

  it('allows extra host names from configuration', () => {
    assert.equal(isAllowedRequestUrl('https://cam.tinh.gov.vn/a.m3u8'), false);
    assert.equal(isAllowedRequestUrl('https://cam.tinh.gov.vn/a.m3u8', ['CAM.tinh.gov.vn']), true);
  });

  it('classifies hosts', () => {
    assert.equal(isLocalNetworkHost('169.254.1.1'), true);
    assert.equal(isLocalNetworkHost('[::ffff:192.168.0.1]'), true);
    assert.equal(isLocalNetworkHost('[2001:db8::1]'), false);
    assert.equal(isLocalNetworkHost('example.com'), false);
  });
});

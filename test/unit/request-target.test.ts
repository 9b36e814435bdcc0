/**
 * The values every request and upgrade is admitted by, read from the network: the request target,
 * the Host header and the Origin, each turned into the one form the checks compare ("name:port")
 * or refused (null). And the host's own names, as that form, re-read as interfaces change.
 */
import assert from 'node:assert/strict';
import { networkInterfaces } from 'node:os';
import { describe, it } from 'node:test';
import { authority, hostHeaderAuthority, originAuthority, parseRequestTarget } from '../../electron/common/request-target.js';
import { hostAuthorities } from '../../electron/node/http/host-names.js';

describe('request target', () => {
  it('reads an origin-form target: its decoded path and its query', () => {
    const target = parseRequestTarget('/data/b%E1%BA%A3n%20%C4%91%E1%BB%93.json?layer=roads&z=12');
    assert.ok(target);
    assert.equal(target.path, '/data/bản đồ.json');
    assert.equal(target.url.searchParams.get('layer'), 'roads');
    assert.equal(target.url.searchParams.get('z'), '12');
    assert.equal(target.url.pathname, '/data/b%E1%BA%A3n%20%C4%91%E1%BB%93.json');
    assert.equal(parseRequestTarget('/')?.path, '/');
    assert.equal(parseRequestTarget('/ws')?.path, '/ws');
    assert.equal(parseRequestTarget('/a/../ws')?.path, '/ws', 'dot segments are resolved as a browser would');
  });

  it('is null for no target, one not starting with "/", an authority-like "//", a bad escape or a NUL', () => {
    for (const target of [undefined, '', 'ws', '*', 'http://127.0.0.1/ws', '//ws', '//[', '/%zz', '/%', '/a%00b', '/%00']) {
      assert.equal(parseRequestTarget(target), null, String(target));
    }
  });
});

describe('authorities', () => {
  it('writes a name and port as "name:port", lower case, an IPv6 address in brackets once', () => {
    assert.equal(authority('127.0.0.1', 8080), '127.0.0.1:8080');
    assert.equal(authority('IOC.Tinh.Gov.VN', 443), 'ioc.tinh.gov.vn:443');
    assert.equal(authority('::1', 80), '[::1]:80');
    assert.equal(authority('FD00::2', 80), '[fd00::2]:80');
    assert.equal(authority('[::1]', 80), '[::1]:80');
  });

  it('reads a Host header as "name:port", the scheme’s port when it names none', () => {
    assert.equal(hostHeaderAuthority('127.0.0.1:8080'), '127.0.0.1:8080');
    assert.equal(hostHeaderAuthority('LocalHost:8080'), 'localhost:8080');
    assert.equal(hostHeaderAuthority('  ioc.local:8080 '), 'ioc.local:8080');
    assert.equal(hostHeaderAuthority('ioc.local'), 'ioc.local:80');
    assert.equal(hostHeaderAuthority('ioc.local', 443), 'ioc.local:443');
    assert.equal(hostHeaderAuthority('[::1]:8080'), '[::1]:8080');
    assert.equal(hostHeaderAuthority('[FD00::2]'), '[fd00::2]:80');
    assert.equal(hostHeaderAuthority('[::ffff:127.0.0.1]:1'), '[::ffff:127.0.0.1]:1');
    assert.equal(hostHeaderAuthority('a:65535'), 'a:65535');
  });

  it('is null for a Host that is no host name and port', () => {
    for (const header of [undefined, '', ' ', ':8080', 'ioc.local:', 'ioc.local:123456', 'ioc.local:80:80', '::1', '[::1', '[::1]x', '[zz::1]:80', 'ioc.local/x', '/ioc.local', 'x ioc.local', 'ioc.local:80/x', 'user@ioc.local', 'ioc_local:80', 'ioc.local:8o']) {
      assert.equal(hostHeaderAuthority(header), null, String(header));
    }
  });

  it('reads an Origin of the scheme the host serves as "name:port"; any other is null', () => {
    assert.equal(originAuthority('http://127.0.0.1:8080'), '127.0.0.1:8080');
    assert.equal(originAuthority('http://IOC.local'), 'ioc.local:80');
    assert.equal(originAuthority('https://ioc.local', true), 'ioc.local:443');
    assert.equal(originAuthority('https://ioc.local:8443', true), 'ioc.local:8443');
    assert.equal(originAuthority('http://[::1]:8080'), '[::1]:8080');
    for (const [origin, tls] of [
      [undefined, false],
      ['null', false],
      ['', false],
      ['https://ioc.local', false],
      ['http://ioc.local', true],
      ['ws://ioc.local', false],
      ['http://ioc.local/', false],
      ['http://ioc.local/console', false],
      ['http://', false],
      ['file://', false],
      ['xhttp://ioc.local', false],
    ] as const) {
      assert.equal(originAuthority(origin, tls), null, `${String(origin)} (tls ${tls})`);
    }
  });
});

describe('host names', () => {
  it('on "::" as on "0.0.0.0": every interface address, not the wildcard itself', () => {
    const names = hostAuthorities({ listenHost: '::', port: 8090, extraNames: ['ioc.local'] })();
    assert.equal(names.has('[::]:8090'), false);
    assert.ok(names.has('[::1]:8090') && names.has('127.0.0.1:8090') && names.has('ioc.local:8090'));
    for (const { address, family } of Object.values(networkInterfaces()).flatMap((a) => a ?? [])) {
      if (family === 'IPv4') assert.ok(names.has(`${address}:8090`), address);
    }
  });

  it('without extra names: loopback and the listening address only', () => {
    assert.deepEqual([...hostAuthorities({ listenHost: '10.0.0.7', port: 80 })()].sort(), ['10.0.0.7:80', '127.0.0.1:80', '[::1]:80', 'localhost:80']);
  });

  it('reads the interfaces again once ten seconds have passed, not before', (t) => {
    t.mock.timers.enable({ apis: ['Date'], now: Date.UTC(2026, 5, 1) });
    const names = hostAuthorities({ listenHost: '0.0.0.0', port: 8090 });
    const first = names();
    assert.equal(names(), first, 'the same answer while fresh');
    t.mock.timers.tick(9_999);
    assert.equal(names(), first);
    t.mock.timers.tick(1);
    const second = names();
    assert.notEqual(second, first, 'read again');
    assert.deepEqual(second, first);
    t.mock.timers.tick(9_999);
    assert.equal(names(), second, 'and fresh for another ten seconds from then');
  });
});

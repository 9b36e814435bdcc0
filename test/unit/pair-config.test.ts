/** The wall file's pair section and --node: what a host refuses before it opens anything. */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { pairConfig, pairSides, wallDefinition } from '../../native-bridge/contract.js';
import { LayoutFileError, loadWallFile } from '../../electron/node/layout-files.js';
import { parseHostArgs } from '../../electron/node/runtime-options.js';
import { projectRoot, tempDir } from '../support/fixtures.js';

const sampleFile = join(projectRoot, 'layouts', 'walls', 'demo-pair.yaml');
const KEY_A = 'Q+^w$U6W6@{b(!lfK5c4BWa>nxha?:(B&0kJ8EeL';
const KEY_B = 'CrJ!YA/5XVI^.}7GJuK[kPbb9I!bG=GH3:3Qy@XG';
const node = (id: string, port: number, publicKey: string) => ({ id, address: `http://10.0.0.${port % 250}:${port}`, peerLink: `tcp://10.0.0.${port % 250}:${port + 10}`, publicKey });

describe('pair config', () => {
  it('the sample two-node wall file names a primary and a backup', () => {
    const wall = loadWallFile(sampleFile);
    assert.equal(wall.pair?.primary.id, 'ioc-a');
    assert.equal(wall.pair?.backup.id, 'ioc-b');
    assert.deepEqual(pairSides(wall.pair!, 'ioc-b').configured, 'backup');
    assert.equal(pairSides(wall.pair!, 'ioc-b').peer.id, 'ioc-a');
  });

  it('a wall without a pair is standalone', () => {
    assert.equal(loadWallFile(join(projectRoot, 'layouts', 'walls', 'demo.yaml')).pair, undefined);
  });

  it('refuses one node twice, one key for both, a bad key and a bad endpoint, naming the field', () => {
    const cases: [unknown, string][] = [
      [{ primary: node('a', 8601, KEY_A), backup: node('a', 8602, KEY_B) }, 'backup.id'],
      [{ primary: node('a', 8601, KEY_A), backup: node('b', 8602, KEY_A) }, 'backup.publicKey'],
      [{ primary: node('a', 8601, KEY_A), backup: { ...node('b', 8602, KEY_B), publicKey: 'short' } }, 'backup.publicKey'],
      [{ primary: { ...node('a', 8601, KEY_A), peerLink: 'ipc:///tmp/x' }, backup: node('b', 8602, KEY_B) }, 'primary.peerLink'],
      [{ primary: { ...node('a', 8601, KEY_A), address: 'file:///etc/passwd' }, backup: node('b', 8602, KEY_B) }, 'primary.address'],
      [{ primary: { ...node('a', 8601, KEY_A), secretKey: KEY_B }, backup: node('b', 8602, KEY_B) }, 'primary'],
    ];
    for (const [input, field] of cases) {
      const result = pairConfig.safeParse(input);
      assert.equal(result.success, false, field);
      assert.equal(result.error!.issues[0]!.path.join('.'), field);
    }
  });

  it('a secret key in the wall file is refused with its line', () => {
    const file = join(tempDir(), 'wall.yaml');
    writeFileSync(file, readFileSync(sampleFile, 'utf8').replace(`    id: ioc-b\n`, `    id: ioc-b\n    secretKey: '${KEY_A}'\n`));
    assert.throws(() => loadWallFile(file), (e: unknown) => e instanceof LayoutFileError && e.line !== null && /secretKey/.test(e.message));
  });

  it('pairSides names the ids the pair has for an unknown --node', () => {
    const wall = wallDefinition.parse({ id: 'w', title: { vi: 'Tường', en: 'Wall' }, rows: 1, columns: 1, display: { width: 1920, height: 1080 }, pair: { primary: node('a', 8601, KEY_A), backup: node('b', 8602, KEY_B) } });
    assert.throws(() => pairSides(wall.pair!, 'c'), /"c" is not a node.*"a" and "b"/);
  });

  it('--node (or IOC_WALL_NODE) says which node this host is', () => {
    const defaults = { layoutsDir: join(projectRoot, 'layouts'), dataDir: tempDir() };
    assert.equal(parseHostArgs(['--node', 'ioc-a'], {}, defaults).pairNode, 'ioc-a');
    assert.equal(parseHostArgs([], { IOC_WALL_NODE: 'ioc-b' }, defaults).pairNode, 'ioc-b');
    assert.equal(parseHostArgs([], {}, defaults).pairNode, undefined);
  });
});

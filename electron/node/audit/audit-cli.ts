/**
 * `npm run audit -- verify [--data-dir <dir>] [--wall <file.yaml>] [--database <file>] [--public-key <file>]`
 *   Verifies the wall database's audit log: prints a summary and exits 0 when intact; names the
 *   first entry that was edited, deleted, inserted or reordered (by seq and time), a rewritten or
 *   truncated chain against its signed heads, or a tampered command journal, and exits 1.
 * `npm run audit -- public-key [--data-dir <dir>]`
 *   Prints the public key the heads are signed with, to keep off the machine (then verify with
 *   --public-key <that copy>).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase } from '../database.js';
import { loadWallFile } from '../layout-files.js';
import { defaultWallFile } from '../project-paths.js';
import { defaultDataDir } from '../runtime-options.js';
import { loadStorageKey } from '../storage-key.js';
import { verifyAuditLog } from './audit-verify.js';
import { HEAD_PUBLIC_KEY_FILE, readPublicKey } from './head-key.js';

const USAGE = `Usage: npm run audit -- verify [options] | public-key [--data-dir <dir>]
  --data-dir <dir>     the wall's data folder (default $XDG_DATA_HOME/ioc-wall, or IOC_WALL_DATA)
  --wall <file.yaml>   the wall definition, which names the database (default the demo wall, or IOC_WALL_FILE)
  --database <file>    a wall database to check instead (e.g. a copy or a backup)
  --public-key <file>  the heads' public key kept elsewhere (default ${HEAD_PUBLIC_KEY_FILE} beside the database)`;

const when = (at: number | null): string => (at === null ? '—' : new Date(at).toISOString());

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { 'data-dir': { type: 'string' }, wall: { type: 'string' }, database: { type: 'string' }, 'public-key': { type: 'string' }, help: { type: 'boolean' } },
  });
  const command = positionals[0];
  if (values.help || (command !== 'verify' && command !== 'public-key') || positionals.length > 1) {
    console.error(USAGE);
    return values.help ? 0 : 2;
  }
  const dataDir = values['data-dir'] ? resolve(values['data-dir']) : defaultDataDir();
  if (command === 'public-key') {
    process.stdout.write(readFileSync(join(dataDir, HEAD_PUBLIC_KEY_FILE), 'utf8'));
    return 0;
  }
  const database = values.database ? resolve(values.database) : join(dataDir, `${loadWallFile(resolve(values.wall ?? process.env.IOC_WALL_FILE ?? defaultWallFile)).id}.sqlite`);
  if (!existsSync(database)) throw new Error(`${database}: no such wall database`);
  const keyFile = values['public-key'] ? resolve(values['public-key']) : join(values.database ? dirname(database) : dataDir, HEAD_PUBLIC_KEY_FILE);
  const publicKey = existsSync(keyFile) ? readPublicKey(keyFile) : null;
  if (!publicKey) console.error(`audit: no public key at ${keyFile}: signed heads cannot be checked`);
  // the storage key of the folder the database is in (the data folder, or the copy's folder with --database)
  const db = openDatabase(database, loadStorageKey(values.database ? dirname(database) : dataDir));
  try {
    const report = await verifyAuditLog(db, { publicKey });
    console.log(`${database}: ${report.entries} entries (last #${report.lastSeq}, ${when(report.lastAt)}), ${report.signedHeads} signed heads (last #${report.lastSignedSeq}, ${when(report.lastSignedAt)}, key ${report.keyId ?? '—'}), ${report.unsignedEntries} entries after it, ${report.journalRows} command journal rows`);
    for (const problem of report.problems) console.log(`TAMPERED (${problem.kind}) at #${problem.seq}, ${when(problem.at)}: ${problem.message}`);
    if (report.ok) console.log('intact: every entry, signed head and journal row checks out');
    return report.ok ? 0 : 1;
  } finally {
    db.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: Error) => {
    console.error(`audit: ${error.message}`);
    process.exitCode = 2;
  },
);

/**
 * A pair's wall file written from a standalone one: the same wall, plus the `pair:` section naming
 * both nodes with their *public* keys (the schema has no place for a secret one). Used by the
 * one-machine demo (`npm start -- --pair`) and the tests' pairs, so neither hand-edits YAML.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { pairConfig, type PairConfig } from '../../../native-bridge/contract.js';
import { loadWallFile } from '../layout-files.js';

export function writePairWallFile(baseWallFile: string, pair: PairConfig, outFile: string): void {
  const checked = pairConfig.parse(pair);
  if (loadWallFile(baseWallFile).pair) throw new Error(`${baseWallFile} already names a pair: give a standalone wall file`);
  const base = readFileSync(baseWallFile, 'utf8');
  writeFileSync(outFile, `${base.endsWith('\n') ? base : `${base}\n`}${stringify({ pair: checked })}`);
  // what the node will load: a file that does not validate fails here, naming the field
  loadWallFile(outFile);
}

/**
 * Every append-only table of the wall database, on a real (encrypted) SQLite file: a row once
 * written cannot be changed by an UPDATE of any one of its columns, removed by a DELETE, or
 * rewritten by an insert that collides with it (INSERT OR REPLACE, REPLACE INTO, an upsert) —
 * not through this code and not through a tool opening the file on its own connection.
 *
 * The list of tables is written out here, not read from the schema, so a table that loses its
 * protection fails the test instead of dropping out of it.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { openDatabase, type Db } from '../../electron/node/database.js';
import { tempDir } from '../support/fixtures.js';
import { keyBeside, openHostFile } from '../support/storage.js';

/** Each append-only table and the columns that identify a row (its primary key and UNIQUE columns). */
const APPEND_ONLY: Record<string, readonly string[]> = {
  command_journal: ['seq', 'revision'],
  scenario_run_log: ['seq'],
  audit_log: ['seq'],
  audit_heads: ['seq'],
  replay_patches: ['revision'],
  replay_checkpoints: ['revision'],
};

interface Column {
  name: string;
  type: string;
}

const columnsOf = (db: Db, table: string): Column[] => db.prepare(`SELECT name, type FROM pragma_table_info(?)`).all(table) as Column[];

/** A row for the table with every column set: integers 1 for row 1, text naming the column (as JSON: audit_log indexes its details). */
function rowValues(columns: readonly Column[], row: number): Record<string, number | string> {
  return Object.fromEntries(columns.map((c) => [c.name, c.type === 'INTEGER' ? row : JSON.stringify(`${c.name}-${row}`)]));
}

function insert(db: Db, table: string, values: Record<string, number | string>, verb = 'INSERT'): void {
  const names = Object.keys(values);
  db.prepare(`${verb} INTO ${table} (${names.join(', ')}) VALUES (${names.map((n) => `@${n}`).join(', ')})`).run(values);
}

function openWithRows(): { db: Db; file: string; original: Map<string, unknown[]> } {
  const file = join(tempDir(), 'wall.sqlite');
  const db = openDatabase(file, keyBeside(file));
  // the run the scenario log's rows belong to (foreign key)
  db.prepare(`INSERT INTO scenario_runs (run_id, scenario, state, activated_at, updated_at, doc) VALUES ('"run_id-1"', 'flood', 'active', 1, 1, '{}'), ('"run_id-2"', 'flood', 'active', 1, 1, '{}'), ('"run_id-3"', 'flood', 'active', 1, 1, '{}')`).run();
  const original = new Map<string, unknown[]>();
  for (const table of Object.keys(APPEND_ONLY)) {
    const columns = columnsOf(db, table);
    insert(db, table, rowValues(columns, 1));
    insert(db, table, rowValues(columns, 2));
    original.set(table, db.prepare(`SELECT * FROM ${table} ORDER BY rowid`).all());
  }
  return { db, file, original };
}

function assertUnchanged(db: Db, original: Map<string, unknown[]>): void {
  for (const [table, rows] of original) assert.deepEqual(db.prepare(`SELECT * FROM ${table} ORDER BY rowid`).all(), rows, `${table} is unchanged`);
}

describe('append-only tables of the wall database', () => {
  it('refuses an UPDATE of each column of each table', () => {
    const { db, original } = openWithRows();
    for (const table of Object.keys(APPEND_ONLY)) {
      for (const { name, type } of columnsOf(db, table)) {
        const value = type === 'INTEGER' ? 99 : 'forged';
        assert.throws(() => db.prepare(`UPDATE ${table} SET ${name} = ? WHERE rowid = (SELECT min(rowid) FROM ${table})`).run(value), /append-only/, `UPDATE ${table}.${name}`);
      }
    }
    assertUnchanged(db, original);
  });

  it('refuses a DELETE of one row or all', () => {
    const { db, original } = openWithRows();
    for (const table of Object.keys(APPEND_ONLY)) {
      assert.throws(() => db.prepare(`DELETE FROM ${table} WHERE rowid = (SELECT min(rowid) FROM ${table})`).run(), /append-only/, `DELETE one ${table} row`);
      assert.throws(() => db.prepare(`DELETE FROM ${table}`).run(), /append-only/, `DELETE FROM ${table}`);
    }
    assertUnchanged(db, original);
  });

  for (const verb of ['INSERT OR REPLACE', 'REPLACE', 'INSERT']) {
    it(`refuses ${verb} INTO a row's identifying column, each in turn (a new actor, a forged command)`, () => {
      const { db, original } = openWithRows();
      for (const [table, keys] of Object.entries(APPEND_ONLY)) {
        const columns = columnsOf(db, table);
        for (const key of keys) {
          // a new row in every column but the one that identifies row 1
          const forged = { ...rowValues(columns, 3), [key]: rowValues(columns, 1)[key]! };
          assert.throws(() => insert(db, table, forged, verb), /append-only|UNIQUE constraint/, `${verb} INTO ${table} with an existing ${key}`);
        }
      }
      assertUnchanged(db, original);
    });
  }

  it('refuses an upsert that would update the existing row', () => {
    const { db, original } = openWithRows();
    const columns = columnsOf(db, 'command_journal');
    const names = columns.map((c) => c.name);
    const forged = { ...rowValues(columns, 3), revision: 1 };
    assert.throws(
      () => db.prepare(`INSERT INTO command_journal (${names.join(', ')}) VALUES (${names.map((n) => `@${n}`).join(', ')}) ON CONFLICT(revision) DO UPDATE SET actor_id = excluded.actor_id, command = excluded.command`).run(forged),
      /append-only/,
    );
    assertUnchanged(db, original);
  });

  it('holds on a connection of its own (a tool opening the file), not only on the host\'s', () => {
    const { db, file, original } = openWithRows();
    db.close();
    const tool = openHostFile(file);
    try {
      const columns = columnsOf(tool, 'command_journal');
      assert.throws(() => insert(tool, 'command_journal', { ...rowValues(columns, 3), revision: 1 }, 'INSERT OR REPLACE'), /append-only/);
      assert.throws(() => insert(tool, 'audit_log', { ...rowValues(columnsOf(tool, 'audit_log'), 3), seq: 1 }, 'REPLACE'), /append-only/);
      assertUnchanged(tool, original);
    } finally {
      tool.close();
    }
  });

  it('still appends new rows', () => {
    const { db } = openWithRows();
    for (const table of Object.keys(APPEND_ONLY)) {
      insert(db, table, rowValues(columnsOf(db, table), 3), 'INSERT OR REPLACE');
      assert.equal((db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n, 3, table);
    }
  });
});
